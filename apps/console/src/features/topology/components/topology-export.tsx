import { useState } from 'react';
import { graphToJson, graphToSvg } from '../export-graph.ts';
import type { TopologyGraph } from '../to-flow-graph.ts';

function download(name: string, blob: Blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The SVG drawn onto a canvas (a blob: image, which the content security policy allows). */
async function svgToPng(svg: string): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    // Browsers cap canvas size; a huge graph is scaled down to fit.
    const scale = Math.min(1, 16000 / Math.max(image.width, image.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(image.width * scale));
    canvas.height = Math.max(1, Math.round(image.height * scale));
    canvas.getContext('2d')?.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob(
        (b) => (b ? resolve(b) : reject(new Error('the PNG could not be made'))),
        'image/png',
      ),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Export the graph as drawn: PNG, SVG, or JSON with every reason. */
export function TopologyExport({ graph, meshId }: { graph: TopologyGraph; meshId: string }) {
  const [error, setError] = useState('');
  const base = `topology-${meshId.slice(-12).replace(/[^a-z0-9-]/gi, '')}`;
  return (
    <span className="topology-export" role="group" aria-label="Export the graph">
      <button
        type="button"
        className="button button--small"
        onClick={() => {
          setError('');
          svgToPng(graphToSvg(graph))
            .then((png) => download(`${base}.png`, png))
            .catch(() => setError('The PNG could not be made; try SVG.'));
        }}
      >
        PNG
      </button>
      <button
        type="button"
        className="button button--small"
        onClick={() =>
          download(`${base}.svg`, new Blob([graphToSvg(graph)], { type: 'image/svg+xml' }))
        }
      >
        SVG
      </button>
      <button
        type="button"
        className="button button--small"
        onClick={() =>
          download(
            `${base}.json`,
            new Blob([graphToJson(graph, meshId)], { type: 'application/json' }),
          )
        }
      >
        JSON
      </button>
      {error ? <span role="alert">{error}</span> : null}
    </span>
  );
}
