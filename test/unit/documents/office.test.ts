import { describe, expect, it } from 'vitest';
import { officeActiveContent, type PartLimits } from '../../../main/documents/office.ts';
import { defaultUnzipLimits, extractOutputs, ratioFloorBytes } from '../../../main/documents/unzip.ts';
import { craftZip, deflatedZeros } from '../../support/zipCraft.ts';

const MB = 1024 * 1024;
const limits: PartLimits = { ...defaultUnzipLimits, ratioFloorBytes };

const TYPES =
  '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>';
const REL = (type: string, mode = '') =>
  `<?xml version="1.0"?><Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/${type}" Target="https://modelli.example/x"${mode}/></Relationships>`;

const zip = (files: Record<string, string>) =>
  craftZip(Object.entries(files).map(([name, data]) => ({ name, data })));

const docx = (extra: Record<string, string> = {}) =>
  zip({ '[Content_Types].xml': TYPES, 'word/document.xml': '<w:document/>', ...extra });
const odt = (extra: Record<string, string> = {}) =>
  zip({
    mimetype: 'application/vnd.oasis.opendocument.text',
    'content.xml': '<office:document-content><office:body/></office:document-content>',
    'META-INF/manifest.xml': '<manifest:manifest/>',
    ...extra,
  });

describe('office outputs', () => {
  it('keeps plain documents, hyperlinks to the web included', async () => {
    expect(await officeActiveContent(docx(), 'ooxml', limits)).toBeNull();
    expect(
      await officeActiveContent(
        docx({ 'word/_rels/document.xml.rels': REL('hyperlink', ' TargetMode="External"') }),
        'ooxml',
        limits,
      ),
    ).toBeNull();
    expect(await officeActiveContent(odt(), 'odf', limits)).toBeNull();
  });

  it.each([
    ['a VBA project, whatever its case', { 'word/vbaproject.bin': 'x' }],
    ['a VBA project in capitals', { 'XL/VBAPROJECT.BIN': 'x' }],
    ['VBA data', { 'word/vbaData.xml': '<x/>' }],
    ['an ActiveX control', { 'word/activeX/activeX1.xml': '<x/>' }],
    ['an embedded OLE object', { 'word/embeddings/oleObject1.bin': 'x' }],
    [
      'a macro-enabled content type',
      {
        '[Content_Types].xml': TYPES.replace(
          'application/xml',
          'application/vnd.ms-word.document.macroEnabled.main+xml',
        ),
      },
    ],
    [
      'a template loaded from outside',
      { 'word/_rels/settings.xml.rels': REL('attachedTemplate', ' TargetMode="External"') },
    ],
    [
      'an OLE object linked from outside',
      { 'word/_rels/document.xml.rels': REL('oleObject', ' TargetMode="External"') },
    ],
  ])('refuses a docx with %s', async (_what, extra) => {
    expect(await officeActiveContent(docx(extra), 'ooxml', limits)).not.toBeNull();
  });

  it.each([
    ['a Basic library', { 'Basic/Standard/Module1.xml': '<x/>' }],
    ['a Basic library in lower case', { 'basic/script-lc.xml': '<x/>' }],
    ['a script folder', { 'Scripts/python/run.py': 'import os' }],
    ['dialogs', { 'Dialogs/Standard/Dialog1.xml': '<x/>' }],
    [
      'an event bound to a macro',
      {
        'content.xml':
          '<office:event-listeners><script:event-listener script:language="ooo:script" xlink:href="vnd.sun.star.script:Standard.Module1.Main"/></office:event-listeners>',
      },
    ],
    ['a macro link in styles', { 'styles.xml': '<text:a xlink:href="macro:///Standard.Module1.Main"/>' }],
    [
      'encrypted parts it cannot read',
      { 'META-INF/manifest.xml': '<manifest:file-entry><manifest:encryption-data/></manifest:file-entry>' },
    ],
  ])('refuses an odt with %s', async (_what, extra) => {
    expect(await officeActiveContent(odt(extra), 'odf', limits)).not.toBeNull();
  });

  it('refuses what is not a package at all', async () => {
    expect(await officeActiveContent(Buffer.from('PK\x03\x04 non proprio'), 'ooxml', limits)).not.toBeNull();
  });

  it('refuses a part larger than the outer limits allow, or compressed like a bomb, without reading it', async () => {
    const zeros = await deflatedZeros(4 * MB);
    const bomb = craftZip([
      { name: '[Content_Types].xml', payload: zeros.payload, crc32: zeros.crc32, uncompressedSize: 4 * MB },
      { name: 'word/document.xml', data: '<w:document/>' },
    ]);
    expect(await officeActiveContent(bomb, 'ooxml', limits)).toBe('[Content_Types].xml');
    expect(await officeActiveContent(docx(), 'ooxml', { ...limits, maxEntryBytes: 10 })).toBe(
      '[Content_Types].xml',
    );
    expect(await officeActiveContent(docx(), 'ooxml', { ...limits, maxTotalBytes: 10 })).toBe(
      '[Content_Types].xml',
    );
  });

  it.each([
    ['lettera.docx', docx({ 'word/vbaproject.bin': 'x' })],
    ['Esito.ODT', odt({ 'Scripts/python/run.py': 'import os' })],
  ])('leaves out %s, which carries code, and keeps the rest of the archive', async (name, bytes) => {
    const { files, leftOut } = await extractOutputs(
      craftZip([
        { name: 'esito.pdf', data: '%PDF-1.7\n%%EOF' },
        { name, data: bytes },
        { name: 'pulito.docx', data: docx() },
      ]),
    );
    expect(files.map((f) => f.name)).toEqual(['esito.pdf', 'pulito.docx']);
    expect(leftOut.map((f) => [f.name, f.originalName, f.reason, f.details['detected']])).toEqual([
      [name, name, 'macro', 'macro'],
    ]);
  });
});
