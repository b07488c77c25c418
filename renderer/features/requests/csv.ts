import { withIva } from '../../../common/money.ts';
import type { RequestSummary } from '../../../common/requests.ts';

/**
 * CSV as Italian spreadsheets open it: semicolons, decimal commas, a BOM so Excel reads UTF-8,
 * CRLF lines. Cells that a spreadsheet would run as formulas are neutralised.
 */
function cell(value: string | number | null): string {
  if (value === null) return '';
  let text = typeof value === 'number' ? value.toFixed(2).replace('.', ',') : value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function isoDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function requestsCsv(rows: RequestSummary[], status: (r: RequestSummary) => string): string {
  const header = [
    'Data',
    'Mese',
    'Numero pratica',
    'Servizio',
    'Cliente',
    'Codice fiscale',
    'Stato',
    'Ambiente',
    'Richiesta Openapi',
    'Prezzo confermato (imponibile)',
    'Addebitato (imponibile)',
    'IVA',
    'Addebitato (IVA inclusa)',
    'Operatore',
    'Sportello',
  ];
  const lines = rows.map((r) =>
    [
      isoDay(r.createdAt),
      isoDay(r.createdAt).slice(0, 7),
      r.number,
      r.serviceName,
      r.clientName,
      r.clientCf,
      status(r),
      r.environment,
      r.remoteId,
      r.confirmedPrice,
      r.chargedPrice,
      r.chargedPrice === null ? null : withIva(r.chargedPrice).iva,
      r.chargedPrice === null ? null : withIva(r.chargedPrice).totale,
      r.operator,
      r.counter,
    ]
      .map(cell)
      .join(';'),
  );
  return `\uFEFF${[header.join(';'), ...lines].join('\r\n')}\r\n`;
}

/**
 * Costs per month and service, for the accounts: what was actually charged, net of IVA as Visengine
 * prices are, then the IVA and the gross total. IVA is computed on each month's net total.
 */
export function costsCsv(rows: RequestSummary[]): string {
  const totals = new Map<string, { month: string; service: string; count: number; amount: number }>();
  for (const r of rows) {
    if (r.chargedPrice === null) continue;
    const month = isoDay(r.submittedAt ?? r.createdAt).slice(0, 7);
    const key = `${month}\u0000${r.serviceName}\u0000${r.environment}`;
    const entry = totals.get(key) ?? {
      month,
      service: `${r.serviceName}${r.environment === 'produzione' ? '' : ` (${r.environment})`}`,
      count: 0,
      amount: 0,
    };
    entry.count += 1;
    entry.amount = Math.round((entry.amount + r.chargedPrice) * 100) / 100;
    totals.set(key, entry);
  }
  const sorted = [...totals.values()].sort(
    (a, b) => a.month.localeCompare(b.month) || a.service.localeCompare(b.service, 'it'),
  );
  const lines = sorted.map((e) => {
    const { imponibile, iva, totale } = withIva(e.amount);
    return [e.month, e.service, String(e.count), imponibile, iva, totale].map(cell).join(';');
  });
  return `\uFEFF${['Mese;Servizio;Pratiche;Imponibile;IVA;Totale', ...lines].join('\r\n')}\r\n`;
}

export function download(name: string, content: string | Uint8Array, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([content as BlobPart], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
