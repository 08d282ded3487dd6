import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { brandingApi } from '../api/endpoints';
import type { Branding } from '../api/types';
import { applyBranding } from './applyBranding';

export interface BrandingValue {
  /** null until GET /api/branding/ answered (or if it failed). */
  branding: Branding | null;
  loaded: boolean;
  /** Replaces and re-applies the branding (after the admin saved it). */
  update: (branding: Branding) => void;
}

const BrandingContext = createContext<BrandingValue | null>(null);

export function BrandingProvider({ children }: { children: ReactNode }) {
  const [branding, setBranding] = useState<Branding | null>(null);
  const [loaded, setLoaded] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    brandingApi
      .get(controller.signal)
      .then((data) => {
        applyBranding(data);
        setBranding(data);
      })
      .catch(() => {
        // Keep the built-in look when branding is unavailable.
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoaded(true);
      });
    return () => controller.abort();
  }, []);

  const update = useCallback((data: Branding) => {
    applyBranding(data);
    setBranding(data);
  }, []);

  const value = useMemo(() => ({ branding, loaded, update }), [branding, loaded, update]);
  return <BrandingContext.Provider value={value}>{children}</BrandingContext.Provider>;
}

export function useBranding(): BrandingValue {
  const value = useContext(BrandingContext);
  if (!value) throw new Error('useBranding must be used inside <BrandingProvider>');
  return value;
}
