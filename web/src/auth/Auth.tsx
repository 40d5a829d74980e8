import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

import { api, tokenStore } from '../api/client';
import type { User } from '../api/models';
import { useLive } from '../live/Live';

interface Auth {
  user: User | null;
  /** False until a stored token has been checked. */
  ready: boolean;
  login: (email: string, password: string) => Promise<User>;
  register: (name: string, email: string, password: string, locale?: 'ko' | 'en') => Promise<User>;
  logout: () => Promise<void>;
  /** Saves the language of the user's e-mails on the server. */
  setEmailLocale: (locale: 'ko' | 'en') => Promise<User>;
}

const Ctx = createContext<Auth | null>(null);
const USER_KEY = 'tiketi.user';

export function AuthProvider({ children }: { children: ReactNode }) {
  const { socket } = useLive();
  const [user, setUser] = useState<User | null>(() => {
    try {
      return tokenStore.get() ? (JSON.parse(localStorage.getItem(USER_KEY) ?? 'null') as User | null) : null;
    } catch {
      return null;
    }
  });
  const [ready, setReady] = useState(!tokenStore.get());

  const signedIn = useCallback(
    (token: string | null, u: User | null) => {
      tokenStore.set(token);
      if (u) localStorage.setItem(USER_KEY, JSON.stringify(u));
      else localStorage.removeItem(USER_KEY);
      setUser(u);
      socket.restart();
    },
    [socket],
  );

  useEffect(() => {
    if (!tokenStore.get()) return;
    api
      .me()
      .then(({ user }) => {
        localStorage.setItem(USER_KEY, JSON.stringify(user));
        setUser(user);
      })
      .catch((e) => {
        if (e.status === 401) signedIn(null, null);
      })
      .finally(() => setReady(true));
  }, [signedIn]);

  const login = useCallback(
    async (email: string, password: string) => {
      const { token, user } = await api.login({ email, password });
      signedIn(token, user);
      return user;
    },
    [signedIn],
  );
  const register = useCallback(
    async (name: string, email: string, password: string, locale?: 'ko' | 'en') => {
      const { token, user } = await api.register({ name, email, password, locale });
      signedIn(token, user);
      return user;
    },
    [signedIn],
  );
  const logout = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      /* the token is dropped locally either way */
    }
    signedIn(null, null);
  }, [signedIn]);

  const setEmailLocale = useCallback(async (locale: 'ko' | 'en') => {
    const { user: updated } = await api.updateMe({ locale });
    localStorage.setItem(USER_KEY, JSON.stringify(updated));
    setUser(updated);
    return updated;
  }, []);

  const value = useMemo(
    () => ({ user, ready, login, register, logout, setEmailLocale }),
    [user, ready, login, register, logout, setEmailLocale],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useAuth(): Auth {
  const a = useContext(Ctx);
  if (!a) throw new Error('useAuth outside AuthProvider');
  return a;
}
