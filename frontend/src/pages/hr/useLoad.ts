import { useCallback, useEffect, useRef, useState, type DependencyList, type Dispatch, type SetStateAction } from 'react';
import { isAbort, toFormError } from '../../api/errors';
import { useI18n } from '../../i18n/I18nContext';

export interface Loaded<T> {
  data: T | null;
  /** The message to show ('' when the last load succeeded). */
  error: string;
  loading: boolean;
  /** Fetch again (after a change made elsewhere on the page). */
  reload: () => void;
  setData: Dispatch<SetStateAction<T | null>>;
}

/**
 * Runs `load` when `deps` change (aborting the previous request) and keeps the last result.
 * Switching the UI language does not refetch (the same convention as the other pages).
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Loaded<T> {
  const { t } = useI18n();
  const tRef = useRef(t);
  tRef.current = t;
  const loadRef = useRef(load);
  loadRef.current = load;
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState('');
  const [loading, setLoading] = useState(true);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    loadRef
      .current(controller.signal)
      .then((result) => {
        if (controller.signal.aborted) return;
        setData(result);
        setError('');
      })
      .catch((err: unknown) => {
        if (!isAbort(err) && !controller.signal.aborted) setError(toFormError(err, tRef.current).message);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [...deps, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { data, error, loading, reload, setData };
}
