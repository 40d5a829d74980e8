// Poster upload for an existing event: the chosen file is previewed at once, sent as the
// raw request body with upload progress, and the event comes back with its new renditions.
import { useEffect, useState } from 'react';

import { api, ApiError, toApiError } from '../../api/client';
import type { Event } from '../../api/types';
import { ErrorNotice } from '../../components/common';
import { Poster } from '../../components/Poster';
import { useI18n } from '../../i18n/I18n';

export const POSTER_TYPES = 'image/jpeg,image/png,image/webp';

export function PosterUpload({ event, onUploaded }: { event: Event; onUploaded: (event: Event) => void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    if (!file) return undefined;
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const upload = async () => {
    if (!file) return;
    setError(null);
    setProgress(0);
    try {
      const { event: updated } = await api.admin.uploadPoster(event.id, file, setProgress);
      setFile(null);
      setPreview(null);
      onUploaded(updated);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setProgress(null);
    }
  };

  return (
    <div className="field" data-testid="poster-upload">
      <label htmlFor="poster-file">{t('admin.posterUpload')}</label>
      <div className="row" style={{ alignItems: 'flex-start' }}>
        <div style={{ width: 120 }}>
          {preview ? (
            <img src={preview} alt={t('admin.posterPreview')} style={{ width: '100%', borderRadius: 6 }} />
          ) : (
            <Poster event={event} sizes="120px" />
          )}
        </div>
        <div className="grow">
          <input
            id="poster-file"
            type="file"
            accept={POSTER_TYPES}
            disabled={progress !== null}
            onChange={(e) => {
              setError(null);
              setFile(e.target.files?.[0] ?? null);
            }}
          />
          <span className="hint">{t('admin.posterHint')}</span>
          {progress !== null && (
            <progress max={1} value={progress} aria-label={t('admin.posterUploading')} style={{ display: 'block', width: '100%' }} />
          )}
          <ErrorNotice error={error} />
          <button type="button" className="btn secondary small" disabled={!file || progress !== null} onClick={upload}>
            {progress !== null ? t('admin.posterUploading') : t('admin.posterSend')}
          </button>
        </div>
      </div>
    </div>
  );
}
