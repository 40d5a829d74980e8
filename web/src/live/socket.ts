// The app's one WebSocket: reconnects with jittered exponential backoff, resubscribes every
// topic on each new connection (seat topics with `sinceSeq` so the server replays what was
// missed), pings to notice dead connections, and reports its state for the indicator.

export type LiveState = 'connecting' | 'online' | 'offline';

export interface LiveMessage {
  topic: string;
  event: string;
  seq?: number;
  data: Record<string, unknown>;
}

export interface SubscribeOptions {
  /** Read on every (re)subscribe: the seq the subscriber's state is at. */
  sinceSeq?: () => number | null | undefined;
  /**
   * Called after a reconnect, once resubscribed, and when the server answers `resync`
   * (the client is too far behind to catch up by deltas): the subscriber refetches.
   */
  onReconnect?: () => void;
}

interface Subscriber {
  handler: (m: LiveMessage) => void;
  opts: SubscribeOptions;
}

type SocketLike = Pick<WebSocket, 'send' | 'close' | 'readyState'> & {
  onopen: ((ev: Event) => unknown) | null;
  onclose: ((ev: CloseEvent) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  onmessage: ((ev: MessageEvent) => unknown) | null;
};

export interface LiveSocketOptions {
  url: () => string;
  create?: (url: string) => SocketLike;
  baseDelayMs?: number;
  maxDelayMs?: number;
  pingMs?: number;
  random?: () => number;
}

/** Delay before reconnect attempt `attempt` (0-based): doubling, capped, with jitter in [½, 1]. */
export function backoffDelay(attempt: number, base = 500, max = 10_000, random = Math.random): number {
  const ceiling = Math.min(max, base * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling * (0.5 + random() / 2));
}

export class LiveSocket {
  private ws: SocketLike | null = null;
  private topics = new Map<string, Set<Subscriber>>();
  private listeners = new Set<(s: LiveState) => void>();
  private attempt = 0;
  private everOpened = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private pinger: ReturnType<typeof setInterval> | null = null;
  private lastMessageAt = 0;
  private stopped = true;
  state: LiveState = 'connecting';

  constructor(private readonly opts: LiveSocketOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onclose = null;
      ws.close();
    }
  }

  /** New credentials (sign-in/out): a fresh connection with the new token. */
  restart(): void {
    this.stop();
    this.everOpened = false;
    this.attempt = 0;
    this.start();
  }

  onState(fn: (s: LiveState) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  subscribe(topic: string, handler: (m: LiveMessage) => void, opts: SubscribeOptions = {}): () => void {
    let subs = this.topics.get(topic);
    const first = !subs;
    if (!subs) {
      subs = new Set();
      this.topics.set(topic, subs);
    }
    const sub: Subscriber = { handler, opts };
    subs.add(sub);
    if (first) this.sendSubscribe(topic);
    return () => {
      const set = this.topics.get(topic);
      if (!set) return;
      set.delete(sub);
      if (set.size === 0) {
        this.topics.delete(topic);
        this.send({ op: 'unsubscribe', topic });
      }
    };
  }

  private setState(s: LiveState) {
    if (this.state === s) return;
    this.state = s;
    for (const fn of this.listeners) fn(s);
  }

  private send(msg: unknown): void {
    if (this.ws && this.ws.readyState === 1) this.ws.send(JSON.stringify(msg));
  }

  private sendSubscribe(topic: string) {
    let since: number | null | undefined;
    for (const s of this.topics.get(topic) ?? []) {
      const v = s.opts.sinceSeq?.();
      if (v != null) since = since == null ? v : Math.min(since, v);
    }
    this.send(since != null ? { op: 'subscribe', topic, sinceSeq: since } : { op: 'subscribe', topic });
  }

  private connect() {
    if (this.stopped) return;
    this.setState(this.everOpened ? 'offline' : 'connecting');
    let ws: SocketLike;
    try {
      const create = this.opts.create ?? ((u: string) => new WebSocket(u) as unknown as SocketLike);
      ws = create(this.opts.url());
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      const reconnect = this.everOpened;
      this.everOpened = true;
      this.attempt = 0;
      this.lastMessageAt = Date.now();
      this.setState('online');
      for (const topic of this.topics.keys()) this.sendSubscribe(topic);
      if (reconnect) {
        for (const subs of this.topics.values()) for (const s of subs) s.opts.onReconnect?.();
      }
      this.startPing();
    };
    ws.onmessage = (ev: MessageEvent) => {
      this.lastMessageAt = Date.now();
      let msg: LiveMessage & { op?: string };
      try {
        msg = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      if (msg.op || !msg.topic) return;
      // Personal messages arrive on the internal `user:<id>` topic.
      const topic = msg.topic.startsWith('user:') ? 'user' : msg.topic;
      if (msg.event === 'resync') {
        for (const s of this.topics.get(topic) ?? []) s.opts.onReconnect?.();
        return;
      }
      for (const s of this.topics.get(topic) ?? []) s.handler(msg);
    };
    ws.onerror = () => {
      /* onclose follows */
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.clearTimers();
      this.setState(this.everOpened ? 'offline' : 'connecting');
      this.scheduleReconnect();
    };
  }

  /** Abandons the current connection without waiting for its close handshake. */
  private drop() {
    const ws = this.ws;
    this.ws = null;
    this.clearTimers();
    if (ws) {
      ws.onclose = null;
      ws.onmessage = null;
      try {
        ws.close();
      } catch {
        /* already closed */
      }
    }
    this.setState(this.everOpened ? 'offline' : 'connecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect() {
    if (this.stopped) return;
    const delay = backoffDelay(this.attempt++, this.opts.baseDelayMs, this.opts.maxDelayMs, this.opts.random);
    if (this.attempt > 3) this.setState('offline');
    this.timer = setTimeout(() => this.connect(), delay);
  }

  private startPing() {
    const every = this.opts.pingMs ?? 20_000;
    this.pinger = setInterval(() => {
      if (Date.now() - this.lastMessageAt > every * 2.5) {
        // No pong for too long: the connection is dead even if the browser has not noticed.
        this.drop();
        return;
      }
      this.send({ op: 'ping' });
    }, every);
  }

  private clearTimers() {
    if (this.timer) clearTimeout(this.timer);
    if (this.pinger) clearInterval(this.pinger);
    this.timer = null;
    this.pinger = null;
  }
}

export function defaultSocketUrl(token: string | null): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const q = token ? `?token=${encodeURIComponent(token)}` : '';
  return `${proto}//${location.host}/ws${q}`;
}
