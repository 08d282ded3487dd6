import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, type ApiClient, type Session } from '../api/client';
import type { AuthResponse, User } from '../api/types';

export type AuthStatus = 'loading' | 'authenticated' | 'anonymous';

export interface AuthValue {
  status: AuthStatus;
  user: User | null;
  /** Stores the session returned by login / invitation accept / password reset. */
  signIn: (auth: AuthResponse) => User;
  /** Resolves with the identity provider's logout URL when the server asks to end that session too. */
  logout: () => Promise<string | null>;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children, client = api }: { children: ReactNode; client?: ApiClient }) {
  const [session, setSession] = useState<Session | null>(() => client.session);
  const [restored, setRestored] = useState(() => client.session !== null);

  useEffect(() => {
    const unsubscribe = client.subscribe(setSession);
    let active = true;
    if (client.session === null) {
      // Silent session restore from the HttpOnly refresh cookie.
      void client.refresh().finally(() => {
        if (active) setRestored(true);
      });
    }
    return () => {
      active = false;
      unsubscribe();
    };
  }, [client]);

  const signIn = useCallback((auth: AuthResponse) => client.setSession(auth).user, [client]);
  const logout = useCallback(() => client.logout(), [client]);

  const value = useMemo<AuthValue>(() => {
    const user = session?.user ?? null;
    const status: AuthStatus = user ? 'authenticated' : restored ? 'anonymous' : 'loading';
    return { status, user, signIn, logout };
  }, [session, restored, signIn, logout]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}
