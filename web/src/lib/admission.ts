// The waiting room's admission token per event, kept in sessionStorage so a refresh of the
// seat map or checkout keeps it; dropped once it has expired.

export interface Admission {
  token: string;
  expiresAt: string;
}

const key = (eventId: string) => `tiketi.admission.${eventId}`;

export const admissions = {
  get(eventId: string, now = Date.now()): Admission | null {
    try {
      const a = JSON.parse(sessionStorage.getItem(key(eventId)) ?? 'null') as Admission | null;
      if (!a) return null;
      if (Date.parse(a.expiresAt) <= now) {
        sessionStorage.removeItem(key(eventId));
        return null;
      }
      return a;
    } catch {
      return null;
    }
  },
  set(eventId: string, a: Admission) {
    sessionStorage.setItem(key(eventId), JSON.stringify(a));
  },
  clear(eventId: string) {
    sessionStorage.removeItem(key(eventId));
  },
};
