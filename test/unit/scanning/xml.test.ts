import { describe, expect, it } from 'vitest';
import { escapeXml, find, findAll, parseXml, textOf, XmlError } from '../../../main/scanning/xml.ts';

describe('the small XML reader for eSCL documents', () => {
  it('reads elements, attributes, text and entities, dropping namespace prefixes', () => {
    const doc = parseXml(`\ufeff<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment -->
<scan:ScannerStatus xmlns:scan="urn:x" xmlns:pwg="urn:y">
  <pwg:State>Idle</pwg:State>
  <scan:Jobs><scan:JobInfo id='1'><pwg:JobUri>/eSCL/ScanJobs/a&amp;b&#x41;&#66;</pwg:JobUri></scan:JobInfo></scan:Jobs>
  <scan:Note><![CDATA[<raw> & text]]></scan:Note>
  <Empty/>
</scan:ScannerStatus>`);
    expect(doc.name).toBe('ScannerStatus');
    expect(doc.attributes['xmlns:scan']).toBe('urn:x');
    expect(textOf(doc, 'State')).toBe('Idle');
    expect(textOf(doc, 'JobUri')).toBe('/eSCL/ScanJobs/a&bAB');
    expect(find(doc, 'JobInfo')!.attributes.id).toBe('1');
    expect(textOf(doc, 'Note')).toBe('<raw> & text');
    expect(find(doc, 'Empty')).toMatchObject({ children: [], text: '' });
    expect(findAll(doc, 'State')).toHaveLength(1);
  });

  it('refuses DOCTYPEs and custom entities (no entity expansion, no external fetch)', () => {
    expect(() => parseXml('<!DOCTYPE a [<!ENTITY x "yyyy">]><a>&x;</a>')).toThrow(XmlError);
    expect(() => parseXml('<a>&x;</a>')).toThrow(/entità sconosciuta/);
  });

  it('refuses malformed documents', () => {
    for (const bad of [
      '',
      '<a>',
      '<a></b>',
      '<a><b></a></b>',
      '<a x=1/>',
      '<a/><b/>',
      'text<a/>',
      '<a x="1/>',
    ]) {
      expect(() => parseXml(bad), bad).toThrow(XmlError);
    }
  });

  it('limits nesting depth', () => {
    expect(() => parseXml('<a>'.repeat(100) + '</a>'.repeat(100))).toThrow(/annidato/);
  });

  it('escapes text for the ScanSettings document', () => {
    expect(escapeXml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
  });
});
