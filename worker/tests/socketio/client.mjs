// Drives /socket.io/ on two api instances with the official client and prints one JSON
// line with what it saw; exits non-zero naming the first expectation that failed.
// Env: API_A, API_B (base URLs), EVENT_ID, SEAT_ID, TOKEN (a fan's JWT).
import { io } from "socket.io-client";

const { API_A, API_B, EVENT_ID, SEAT_ID, TOKEN } = process.env;
const opts = { reconnection: false, timeout: 5000 };

function fail(why) {
  console.error(`FAIL: ${why}`);
  process.exit(1);
}

function connect(url, auth, transports = ["websocket"]) {
  const socket = io(url, { ...opts, transports, auth });
  const seen = [];
  socket.onAny((event, payload) => seen.push({ event, payload, at: performance.now() }));
  return new Promise((resolve, reject) => {
    socket.on("connect", () => resolve({ socket, seen }));
    socket.on("connect_error", (e) => reject(e));
  });
}

// Waits for the first event of `seen` matching `test`, up to `ms`.
async function waitFor(seen, test, ms, what) {
  const until = performance.now() + ms;
  for (;;) {
    const hit = seen.find(test);
    if (hit) return hit;
    if (performance.now() > until) fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const seats = `seats:${EVENT_ID}`;
const result = {};

// A signed-in fan on instance A, an anonymous one on instance B (over HTTP long-polling,
// the transport a client falls back to where WebSockets are blocked).
const a = await connect(API_A, { token: TOKEN });
const b = await connect(API_B, {}, ["polling"]);
await waitFor(a.seen, (m) => m.event === "subscribed" && m.payload.topic === "user", 2000, "A's user room");

for (const c of [a, b]) {
  const ack = await c.socket.timeout(3000).emitWithAck("join-seat-selection", { eventId: EVENT_ID });
  if (ack[0]?.topic !== seats || ack.length !== 1) fail(`join-seat-selection ack: ${JSON.stringify(ack)}`);
}
const joinEvent = await b.socket.timeout(3000).emitWithAck("join-event", { eventId: EVENT_ID });
if (joinEvent[0]?.topic !== `event:${EVENT_ID}`) fail(`join-event ack: ${JSON.stringify(joinEvent)}`);

// The anonymous fan may not join a personal room.
const refused = await b.socket.timeout(3000).emitWithAck("subscribe", { topic: "user" });
if (refused[0]?.code !== "BAD_TOPIC") fail(`anonymous user room: ${JSON.stringify(refused)}`);
const queue = await b.socket.timeout(3000).emitWithAck("join-queue", { eventId: EVENT_ID });
if (!queue.some((r) => r.code === "BAD_TOPIC")) fail(`anonymous join-queue: ${JSON.stringify(queue)}`);
const unknown = await b.socket.timeout(3000).emitWithAck("join-event", { eventId: "00000000-0000-0000-0000-000000000000" });
if (unknown[0]?.code !== "BAD_TOPIC") fail(`unknown event joined: ${JSON.stringify(unknown)}`);

// A seat reserved through instance A shows up on both instances.
const sent = performance.now();
const res = await fetch(`${API_A}/api/seats/reserve`, {
  method: "POST",
  headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
  body: JSON.stringify({ eventId: EVENT_ID, seatIds: [SEAT_ID] }),
});
if (res.status !== 201 && res.status !== 200) fail(`reserve answered ${res.status}: ${await res.text()}`);
const locked = (m) => m.event === "seat-locked" && m.payload.topic === seats;
const onA = await waitFor(a.seen, locked, 1000, "seat-locked on instance A");
const onB = await waitFor(b.seen, locked, 1000, "seat-locked on instance B");
for (const m of [onA, onB]) {
  const p = m.payload;
  if (p.seatId !== SEAT_ID || p.data.seatIds[0] !== SEAT_ID || p.data.status !== "held" || typeof p.seq !== "number") {
    fail(`seat-locked payload: ${JSON.stringify(p)}`);
  }
}
result.latencyMsA = Math.round(onA.at - sent);
result.latencyMsB = Math.round(onB.at - sent);
result.seq = onA.payload.seq;

// The signed-in fan hears its reservation's result; the anonymous one hears nothing personal.
await waitFor(a.seen, (m) => m.event === "reservation-result", 2000, "A's reservation-result");
await new Promise((r) => setTimeout(r, 300));
const personal = b.seen.filter((m) => m.event !== "error" && (m.payload?.topic?.startsWith?.("user") || m.event === "reservation-result"));
if (personal.length) fail(`anonymous socket got personal events: ${JSON.stringify(personal)}`);

// Resuming after a reconnect: a new socket asking from the seq before the change catches up.
const c = await connect(API_B, {});
await c.socket.timeout(3000).emitWithAck("subscribe", { topic: seats, sinceSeq: result.seq - 1 });
const replay = await waitFor(c.seen, locked, 2000, "the catch-up after a reconnect");
if (replay.payload.seq !== result.seq) fail(`catch-up seq ${replay.payload.seq} != ${result.seq}`);
c.socket.close();

// A bad token is refused at the handshake.
try {
  const bad = await connect(API_B, { token: "not-a-token" });
  bad.socket.close();
  fail("a bad token was admitted");
} catch (e) {
  if (!String(e.message).startsWith("TOKEN_INVALID")) fail(`bad token refused with ${e.message}`);
}

// Signing out ends the signed-in socket's personal room.
const gone = new Promise((r) => a.socket.on("disconnect", r));
const out = await fetch(`${API_A}/api/auth/logout`, { method: "POST", headers: { authorization: `Bearer ${TOKEN}` } });
if (out.status !== 204) fail(`logout answered ${out.status}`);
await waitFor(a.seen, (m) => m.event === "error" && m.payload.code === "TOKEN_REVOKED", 3000, "TOKEN_REVOKED on A");
await Promise.race([gone, new Promise((_, rej) => setTimeout(() => rej(new Error("A stayed connected")), 3000))]).catch((e) => fail(e.message));

b.socket.close();
console.log(JSON.stringify(result));
process.exit(0);
