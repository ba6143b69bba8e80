import { useEffect, useRef } from 'react';

/**
 * A scrolling waveform (pleth, ECG) drawn on a canvas. Samples arrive in batches from main; the trace
 * keeps the last `seconds` of them in a ring buffer and redraws once per animation frame, so a 75 Hz
 * stream costs one draw per screen refresh, not one per sample.
 */
export function LiveTrace(props: {
  /** Sample batches in arrival order; the component reads only what is new since the last render. */
  samples: readonly number[];
  sampleRateHz: number;
  seconds?: number;
  label: string;
  height?: number;
}) {
  const { samples, sampleRateHz, seconds = 5, label, height = 72 } = props;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const capacity = Math.max(1, Math.round(sampleRateHz * seconds));

  useEffect(() => {
    const canvas = canvasRef.current;
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return;
    const frame = requestAnimationFrame(() => {
      const shown = samples.slice(-capacity);
      const width = canvas.clientWidth || 300;
      canvas.width = width;
      canvas.height = height;
      context.clearRect(0, 0, width, height);
      if (shown.length < 2) return;
      let min = Infinity;
      let max = -Infinity;
      for (const s of shown) {
        if (s < min) min = s;
        if (s > max) max = s;
      }
      const span = max - min || 1;
      context.strokeStyle = '#0b5cad';
      context.lineWidth = 2;
      context.beginPath();
      shown.forEach((s, i) => {
        const x = (i / (capacity - 1)) * width;
        const y = height - 4 - ((s - min) / span) * (height - 8);
        if (i === 0) context.moveTo(x, y);
        else context.lineTo(x, y);
      });
      context.stroke();
    });
    return () => cancelAnimationFrame(frame);
  }, [samples, capacity, height]);

  return <canvas ref={canvasRef} className="live-trace" role="img" aria-label={label} height={height} />;
}
