import { describe, expect, it } from 'vitest';
import { startApp } from '../../support/app.ts';
import { documentSet, GIULIA, MARIO as HOLDER, payslip, take, type Person } from '../../support/documents.ts';
import { MARIO } from '../../support/drafts.ts';
import { photoJpeg } from '../../support/files.ts';
import { CONGEDO } from '../../support/simulator.ts';

/*
 * The acceptance of "documents placed by what they are": a set of realistic scans and photos of
 * the three papers, named as phones and scanners name them (test/support/documents.ts), each
 * dropped alone on an empty congedo parentale draft of its holder, through the app's handlers and
 * its reading thread. Correctness only; the time a page takes is in `npm run bench`.
 */

/** Where each paper goes in the congedo parentale form. */
const FIELD = { identita: '$5', codice_fiscale: '$6', mandato: '$7' } as const;

describe('documents placed by what they are', () => {
  it('places at least 95% of twenty-odd realistic scans and photos right, and none wrong while sure', async () => {
    const t = await startApp();
    const h = t.app.handlers;
    // One draft per client: the mandato each was printed for, and where their papers are dropped.
    const drafts = new Map<string, string>();
    for (const person of [HOLDER, GIULIA]) {
      const draft = await h['drafts.create'](CONGEDO);
      await h['drafts.update'](draft.id, {
        fields: { ...MARIO, $0: capital(person.nome), $1: capital(person.cognome), $4: person.cf },
      });
      drafts.set(person.cf, draft.id);
    }
    const draftOf = (person: Person) => drafts.get(person.cf)!;
    const set = await documentSet(async (person) => (await h['mandato.generate'](draftOf(person))).data);

    const outcomes: { name: string; how: string; right: boolean; sure: boolean; reason: string }[] = [];
    for (const sample of set) {
      const id = draftOf(sample.holder);
      const { placed, failed } = await h['attachments.place'](id, [
        { name: sample.name, data: sample.bytes },
      ]);
      expect(failed).toEqual([]);
      const [where] = placed;
      outcomes.push({
        name: sample.name,
        how: sample.how,
        right: where?.fieldKey === FIELD[sample.paper],
        sure: where?.confidence === 'high',
        reason: where?.reason ?? '',
      });
      // Empty again for the next file.
      for (const p of placed) await h['attachments.remove'](id, p.attachmentId);
    }
    const wrong = outcomes.filter((o) => !o.right);
    console.info(
      `placed right: ${outcomes.length - wrong.length}/${outcomes.length}; sure: ${outcomes.filter((o) => o.sure).length}` +
        wrong.map((o) => `\n  wrong: ${o.name} (${o.how}) by ${o.reason}`).join(''),
    );
    expect(outcomes.length).toBeGreaterThanOrEqual(20);
    expect(outcomes.length - wrong.length).toBeGreaterThanOrEqual(Math.ceil(outcomes.length * 0.95));
    expect(wrong.filter((o) => o.sure)).toEqual([]);
  }, 1_500_000);

  it('is never sure of a file that is none of the three papers', async () => {
    const t = await startApp();
    const h = t.app.handlers;
    const others = [
      { name: 'IMG_20250114_102000.jpg', data: await take(await payslip(), { on: 'desk', rotate: 2 }) },
      { name: 'IMG_20250114_102015.jpg', data: await photoJpeg(1600, 1200) },
    ];
    for (const file of others) {
      const draft = await h['drafts.create'](CONGEDO);
      const { placed } = await h['attachments.place'](draft.id, [file]);
      expect(placed.map((p) => [p.fileName, p.reason, p.confidence])).toEqual([[file.name, 'order', 'low']]);
    }
  }, 300_000);
});

const capital = (word: string) => word.charAt(0) + word.slice(1).toLowerCase();
