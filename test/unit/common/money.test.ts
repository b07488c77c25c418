import { describe, expect, it } from 'vitest';
import { IVA_RATE, samePrice, withIva } from '../../../common/money.ts';
import { costsCsv, requestsCsv } from '../../../renderer/features/requests/csv.ts';
import type { RequestSummary } from '../../../common/requests.ts';
import { net } from '../../../renderer/lib/format.ts';

describe('prices net of IVA', () => {
  it('splits a Visengine price into imponibile, IVA and totale, to the cent', () => {
    expect(IVA_RATE).toBe(0.22);
    expect(withIva(14.7)).toEqual({ imponibile: 14.7, iva: 3.23, totale: 17.93 });
    expect(withIva(21)).toEqual({ imponibile: 21, iva: 4.62, totale: 25.62 });
    expect(withIva(0)).toEqual({ imponibile: 0, iva: 0, totale: 0 });
    expect(samePrice(0.1 + 0.2, 0.3)).toBe(true);
    expect(samePrice(14.7, 14.71)).toBe(false);
  });

  it('shows every price to the clerk as net + IVA (gross)', () => {
    expect(net(14.7).replace(/\s/g, ' ')).toBe('14,70 € + IVA (17,93 €)');
    expect(net(null)).toBe('—');
  });

  const row = (over: Partial<RequestSummary>): RequestSummary => ({
    id: 'r1',
    environment: 'produzione',
    remoteId: 'a'.repeat(24),
    serviceHash: 'h',
    serviceName: 'Indennità per congedo parentale',
    clientName: 'Rossi Mario',
    clientCf: 'RSSMRA85T10A562S',
    status: 'done',
    state: 'completata',
    number: 'RM1-2026-000123',
    remoteState: 'Visura evasa',
    esito: null,
    confirmedPrice: 14.7,
    chargedPrice: 14.7,
    createdAt: Date.UTC(2026, 10, 3, 10),
    updatedAt: Date.UTC(2026, 10, 3, 10),
    submittedAt: Date.UTC(2026, 10, 3, 10),
    completedAt: null,
    documentsState: 'ready',
    documentCount: 1,
    lastError: null,
    needsAttention: false,
    awaitingChoice: false,
    purged: false,
    operator: 'Anna',
    counter: 'Ufficio-2',
    ...over,
  });

  it('gives the accounts imponibile, IVA and totale in both CSVs', () => {
    const list = requestsCsv([row({})], () => 'Completata');
    expect(list).toContain('Addebitato (imponibile);IVA;Addebitato (IVA inclusa)');
    expect(list).toContain('14,70;14,70;3,23;17,93;Anna;Ufficio-2');
    expect(list).toContain('Data;Mese;Numero pratica;Servizio');
    expect(list).toContain('2026-11-03;2026-11;RM1-2026-000123;Indennità per congedo parentale');
    expect(list).toContain('Richiesta Openapi');
    expect(list).not.toContain('Visengine');
    const costs = costsCsv([
      row({}),
      row({ id: 'r2', chargedPrice: 14.7 }),
      row({ id: 'r3', chargedPrice: null }),
    ]);
    expect(costs).toContain('Mese;Servizio;Pratiche;Imponibile;IVA;Totale');
    expect(costs).toContain('2026-11;Indennità per congedo parentale;2;29,40;6,47;35,87');
  });
});
