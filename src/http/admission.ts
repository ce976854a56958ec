import type { Limits } from '../config/limits.js';

type AdmissionLimits = Pick<
  Limits,
  'MAX_IN_FLIGHT_REQUESTS' | 'MAX_IN_FLIGHT_UPLOADS' | 'MAX_IN_FLIGHT_PER_CLIENT'
>;

/** One admitted request's share of the server. Every method is a no-op once released. */
export interface Ticket {
  /** Claims an upload slot while the body arrives; false when MAX_IN_FLIGHT_UPLOADS are taken. */
  startUpload(): boolean;
  /** Trades the upload slot (if any) for a running slot; false when MAX_IN_FLIGHT_REQUESTS run. */
  startWork(): boolean;
  /** Gives back whatever the ticket holds. */
  release(): void;
}

/** The ticket of requests that no cap applies to (a GET of /health or /metrics). */
export const UNLIMITED: Ticket = {
  startUpload: () => true,
  startWork: () => true,
  release: () => {},
};

/**
 * Who may use the server now. A request holds at most one slot at a time: an upload slot while
 * its body arrives, then a running slot, so bodies that trickle in never take the slots of
 * requests ready to run. Each client address holds at most MAX_IN_FLIGHT_PER_CLIENT requests in
 * either phase.
 */
export function createAdmission(limits: AdmissionLimits) {
  let uploading = 0;
  let running = 0;
  const perClient = new Map<string, number>();

  return {
    /** A ticket for `client`, or null when that client already holds its share. */
    admit(client: string): Ticket | null {
      const held = perClient.get(client) ?? 0;
      if (held >= limits.MAX_IN_FLIGHT_PER_CLIENT) return null;
      perClient.set(client, held + 1);
      let phase: 'admitted' | 'uploading' | 'running' | 'released' = 'admitted';
      const leavePhase = () => {
        if (phase === 'uploading') uploading -= 1;
        if (phase === 'running') running -= 1;
      };
      return {
        startUpload() {
          if (phase !== 'admitted' || uploading >= limits.MAX_IN_FLIGHT_UPLOADS) return false;
          uploading += 1;
          phase = 'uploading';
          return true;
        },
        startWork() {
          if (phase === 'released' || phase === 'running') return false;
          if (running >= limits.MAX_IN_FLIGHT_REQUESTS) return false;
          leavePhase();
          running += 1;
          phase = 'running';
          return true;
        },
        release() {
          if (phase === 'released') return;
          leavePhase();
          phase = 'released';
          const left = (perClient.get(client) ?? 1) - 1;
          if (left > 0) perClient.set(client, left);
          else perClient.delete(client);
        },
      };
    },
  };
}
