import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caretAfter, editCf, groupedWhileTyping } from '../../../renderer/features/new/cfTyping.ts';

/**
 * Types `keys` one by one into a field holding `code`, caret at the end, as the browser would:
 * each key inserted in the shown text at the caret, then the field re-shown from the code.
 */
function typeInto(code: string, keys: string): { code: string; shown: string; caret: number } {
  let caret = caretAfter(groupedWhileTyping(code), code.length);
  for (const key of keys) {
    const shown = groupedWhileTyping(code);
    const text = shown.slice(0, caret) + key + shown.slice(caret);
    const edit = editCf(code, text, caret + 1, 'insertText');
    code = edit.code;
    caret = caretAfter(groupedWhileTyping(code), edit.caret);
  }
  return { code, shown: groupedWhileTyping(code), caret };
}

/** One delete key at the caret of the shown text, as the browser applies it before the app sees it. */
function deleteKey(code: string, caret: number, backward: boolean) {
  const shown = groupedWhileTyping(code);
  const at = backward ? caret - 1 : caret;
  const text = shown.slice(0, at) + shown.slice(at + 1);
  const edit = editCf(code, text, at, backward ? 'deleteContentBackward' : 'deleteContentForward');
  return { code: edit.code, caret: caretAfter(groupedWhileTyping(edit.code), edit.caret) };
}

describe('typing a codice fiscale', () => {
  it('keeps the code as typed in lower case with its groups, and shows it grouped', () => {
    const typed = typeInto('', 'rss mra 85t10 a562s');
    expect(typed.code).toBe('RSSMRA85T10A562S');
    expect(typed.shown).toBe('RSS MRA 85T10 A562S');
    expect(typed.caret).toBe(typed.shown.length);
  });

  it('drops a leading and a trailing blank without losing the last character', () => {
    expect(typeInto('', ' RSSMRA85T10A562S ').code).toBe('RSSMRA85T10A562S');
  });

  it('takes the grouped code pasted whole, and a 17th character is kept for the length check to name', () => {
    expect(editCf('', 'RSS MRA 85T10 A562S', 19, 'insertFromPaste')).toEqual({
      code: 'RSSMRA85T10A562S',
      caret: 16,
    });
    expect(editCf('', 'RSSMRA85T10A562SX', 17, 'insertFromPaste').code).toHaveLength(17);
  });

  it('groups the code as it grows, as the app prints it', () => {
    expect(groupedWhileTyping('RSS')).toBe('RSS');
    expect(groupedWhileTyping('RSSM')).toBe('RSS M');
    expect(groupedWhileTyping('RSSMRA85T')).toBe('RSS MRA 85T');
    expect(groupedWhileTyping('RSSMRA85T10A')).toBe('RSS MRA 85T10 A');
  });

  it('leaves a temporary numeric code ungrouped', () => {
    expect(typeInto('', '12345678901')).toMatchObject({ code: '12345678901', shown: '12345678901' });
  });

  it('keeps the caret after the same character when a character is typed in the middle', () => {
    // "RSS MRA 8|5T10 A562S" with the 5 missing: typed back at the caret.
    const code = 'RSSMRA8T10A562S';
    const shown = groupedWhileTyping(code);
    const caret = caretAfter(shown, 7);
    const edit = editCf(code, `${shown.slice(0, caret)}5${shown.slice(caret)}`, caret + 1, 'insertText');
    expect(edit).toEqual({ code: 'RSSMRA85T10A562S', caret: 8 });
    expect(caretAfter(groupedWhileTyping(edit.code), edit.caret)).toBe('RSS MRA 85'.length);
  });

  it('deletes the character before a group’s blank on Backspace, and the one after it on Delete', () => {
    const code = 'RSSMRA85T10A562S';
    // Caret just after the blank that follows "RSS": Backspace removes the last S of the group.
    expect(deleteKey(code, 'RSS '.length, true)).toEqual({ code: 'RSMRA85T10A562S', caret: 2 });
    // Caret just before that blank: Delete removes the M after it.
    expect(deleteKey(code, 'RSS'.length, false)).toEqual({ code: 'RSSRA85T10A562S', caret: 3 });
  });

  it('a blank typed anywhere changes nothing and leaves the caret where it was', () => {
    const code = 'RSSMRA85T10A562S';
    const shown = groupedWhileTyping(code);
    const caret = caretAfter(shown, 5);
    const edit = editCf(code, `${shown.slice(0, caret)} ${shown.slice(caret)}`, caret + 1, 'insertText');
    expect(edit).toEqual({ code, caret: 5 });
  });

  it('whatever is typed, with blanks anywhere and in any case, ends as the code', () => {
    const cf = 'RSSMRA85T10A562S';
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('', ' ', '  '), { minLength: 17, maxLength: 17 }),
        fc.boolean(),
        (blanks, lower) => {
          const text =
            [...cf].map((ch, i) => blanks[i] + (lower ? ch.toLowerCase() : ch)).join('') + blanks[16];
          expect(typeInto('', text).code).toBe(cf);
        },
      ),
      { numRuns: 200 },
    );
  });
});
