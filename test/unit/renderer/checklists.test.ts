import { describe, expect, it } from 'vitest';
import { paperOf } from '../../../common/papers.ts';
import catalog from '../../../main/simulator/catalog.json' with { type: 'json' };
import { checklistHint } from '../../../renderer/features/new/checklists.ts';

/** The file fields of a service of the simulator's catalog (the seeds' own names). */
function fileFields(name: RegExp) {
  const service = Object.values(catalog.services)
    .map((s) => s.detail)
    .find((s) => name.test(s.nome_visura));
  if (!service) throw new Error(`no service ${name.source} in the catalog`);
  return {
    nome: service.nome_visura,
    files: Object.values(service.json_struttura.campi).filter((c) => c.tipo === 'file'),
  };
}

describe('the counter’s checklist', () => {
  it.each([/congedo parentale/i, /riscatto.*leva/i])(
    'says on each document slot of %s what to ask the client for',
    (name) => {
      const service = fileFields(name);
      expect(service.files.length).toBeGreaterThan(0);
      for (const field of service.files) expect(checklistHint(service.nome, field)).toMatch(/\S/);
    },
  );

  it('asks only for what the form has a slot for: no line without a paper', () => {
    const service = fileFields(/congedo parentale/i);
    const papers = new Set(service.files.map((f) => paperOf(f)));
    for (const paper of ['identita', 'codice_fiscale', 'mandato'] as const) expect(papers).toContain(paper);
    // A paper of another kind gets no line: the office's list holds only these three.
    expect(checklistHint(service.nome, { nome: 'COPIA ULTIME BUSTE PAGA' })).toBeNull();
    expect(checklistHint(service.nome, { nome: 'STATO DI FAMIGLIA' })).toBeNull();
  });

  it('says nothing for a service the office keeps no checklist for', () => {
    expect(checklistHint('Attestazione ISEE ordinario', { nome: 'COPIA DOCUMENTO D`IDENTITÀ' })).toBeNull();
  });
});
