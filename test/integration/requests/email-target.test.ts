import { describe, expect, it } from 'vitest';
import { startApp } from '../../support/app.ts';
import { congedoDraft } from '../../support/drafts.ts';

describe('"Invia i documenti anche al cliente"', () => {
  it('sends the form’s email as email_target and writes it in the trail', async () => {
    const t = await startApp();
    const h = t.app.handlers;
    const id = await congedoDraft(t.app);
    const draft = await h['drafts.update'](id, { sendToClient: true });
    expect(draft.sendToClient).toBe(true);
    await h['requests.submit'](id, (await h['requests.quote'](id)).total);

    const [remote] = t.simulator.requests();
    expect(remote?.emailTarget).toBe('mario.rossi@example.it');
    const detail = await h['requests.get'](id);
    expect(detail.emailTarget).toBe('mario.rossi@example.it');
    expect(detail.events.find((e) => e.kind === 'submitted')?.data).toMatchObject({ emailTarget: true });
  });

  it('sends no email_target when the clerk did not ask', async () => {
    const t = await startApp();
    const h = t.app.handlers;
    const id = await congedoDraft(t.app);
    await h['requests.submit'](id, (await h['requests.quote'](id)).total);
    expect(t.simulator.requests()[0]?.emailTarget).toBeNull();
    expect((await h['requests.get'](id)).emailTarget).toBeNull();
  });
});
