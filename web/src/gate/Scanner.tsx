// The camera: the browser's BarcodeDetector where it exists, else jsQR on canvas frames.
// Calls `onCode` once per code, again only after the code has left the frame for a while,
// so a ticket held in front of the camera is not scanned over and over.
import jsQR from 'jsqr';
import { useEffect, useRef, useState } from 'react';

interface Detector {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>;
}

declare global {
  interface Window {
    BarcodeDetector?: new (options: { formats: string[] }) => Detector;
  }
}

const FRAME_MS = 150;
const REPEAT_MS = 3_000;

export function Scanner({ onCode, label }: { onCode: (code: string) => void; label: string }) {
  const video = useRef<HTMLVideoElement>(null);
  const [failed, setFailed] = useState(false);
  const onCodeRef = useRef(onCode);
  onCodeRef.current = onCode;

  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer = 0;
    let stopped = false;
    const canvas = document.createElement('canvas');
    const last = { code: '', at: 0 };
    const detector = window.BarcodeDetector ? new window.BarcodeDetector({ formats: ['qr_code'] }) : null;

    async function frame() {
      const v = video.current;
      if (stopped || !v) return;
      if (v.readyState >= 2 && v.videoWidth > 0) {
        let text: string | null = null;
        try {
          if (detector) {
            text = (await detector.detect(v))[0]?.rawValue ?? null;
          } else {
            canvas.width = v.videoWidth;
            canvas.height = v.videoHeight;
            const ctx = canvas.getContext('2d', { willReadFrequently: true });
            if (ctx) {
              ctx.drawImage(v, 0, 0);
              const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
              text = jsQR(img.data, img.width, img.height, { inversionAttempts: 'dontInvert' })?.data ?? null;
            }
          }
        } catch {
          text = null;
        }
        const now = Date.now();
        if (text && (text !== last.code || now - last.at > REPEAT_MS)) onCodeRef.current(text);
        if (text) {
          last.code = text;
          last.at = now;
        }
      }
      timer = window.setTimeout(frame, FRAME_MS);
    }

    navigator.mediaDevices
      ?.getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then((s) => {
        stream = s;
        if (stopped || !video.current) return;
        video.current.srcObject = s;
        void video.current.play().catch(() => undefined);
        void frame();
      })
      .catch(() => setFailed(true));
    if (!navigator.mediaDevices) setFailed(true);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, []);

  return (
    <div>
      <video ref={video} muted playsInline aria-label={label} data-testid="gate-camera" style={{ width: '100%', maxHeight: 320, background: '#000' }} />
      {failed && <p className="notice bad">{label}: ✕</p>}
    </div>
  );
}
