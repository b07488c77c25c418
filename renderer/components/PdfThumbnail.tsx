import { Center, Loader, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';

/** The first page of a PDF, drawn by pdf.js from bytes main handed over. */
export function PdfThumbnail({ load, width = 96 }: { load: () => Promise<Uint8Array>; width?: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');
  const [pages, setPages] = useState(0);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      try {
        // pdf.js is loaded on first use: it is most of the weight of the UI.
        const { openPdf, renderPage } = await import('../lib/pdf.ts');
        const { pdf, close } = await openPdf(await load());
        try {
          if (cancelled || !canvas.current) return;
          await renderPage(pdf, 1, canvas.current, width);
          if (!cancelled) {
            setPages(pdf.numPages);
            setState('ready');
          }
        } finally {
          await close();
        }
      } catch (error) {
        // A PDF pdf.js cannot draw is still attached and sent: only the preview is missing.
        console.warn('anteprima PDF non disponibile', error);
        if (!cancelled) setState('failed');
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [load, width]);

  return (
    <div
      style={{ position: 'relative', width, minHeight: width * 1.3 }}
      data-testid="pdf-thumbnail"
      data-state={state}
    >
      <canvas
        ref={canvas}
        style={{
          display: state === 'ready' ? 'block' : 'none',
          borderRadius: 4,
          boxShadow: '0 0 0 1px var(--mantine-color-gray-3)',
        }}
      />
      {state === 'loading' && (
        <Center h={width * 1.3}>
          <Loader size="sm" />
        </Center>
      )}
      {state === 'failed' && (
        <Center h={width * 1.3}>
          <Text size="xs" c="dimmed">
            PDF
          </Text>
        </Center>
      )}
      {state === 'ready' && pages > 1 && (
        <Text size="xs" c="dimmed" ta="center">
          {pages} pagine
        </Text>
      )}
    </div>
  );
}
