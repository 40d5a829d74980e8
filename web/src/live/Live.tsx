import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';

import { tokenStore } from '../api/client';
import { defaultSocketUrl, LiveSocket, type LiveMessage, type LiveState, type SubscribeOptions } from './socket';

interface Live {
  socket: LiveSocket;
  state: LiveState;
}

const Ctx = createContext<Live | null>(null);

export function LiveProvider({ children }: { children: ReactNode }) {
  const socket = useMemo(() => new LiveSocket({ url: () => defaultSocketUrl(tokenStore.get()) }), []);
  const [state, setState] = useState<LiveState>(socket.state);
  useEffect(() => {
    const off = socket.onState(setState);
    socket.start();
    return () => {
      off();
      socket.stop();
    };
  }, [socket]);
  const value = useMemo(() => ({ socket, state }), [socket, state]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useLive(): Live {
  const l = useContext(Ctx);
  if (!l) throw new Error('useLive outside LiveProvider');
  return l;
}

/** Subscribes while mounted; the latest handler is always called, without resubscribing. */
export function useTopic(topic: string | null, handler: (m: LiveMessage) => void, opts?: SubscribeOptions): void {
  const { socket } = useLive();
  const ref = useRef(handler);
  ref.current = handler;
  const optsRef = useRef(opts);
  optsRef.current = opts;
  useEffect(() => {
    if (!topic) return;
    return socket.subscribe(topic, (m) => ref.current(m), {
      sinceSeq: () => optsRef.current?.sinceSeq?.(),
      onReconnect: () => optsRef.current?.onReconnect?.(),
    });
  }, [socket, topic]);
}
