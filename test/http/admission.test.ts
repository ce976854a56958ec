import { describe, expect, it } from 'vitest';
import { createAdmission } from '../../src/http/admission.js';

const limits = { MAX_IN_FLIGHT_REQUESTS: 2, MAX_IN_FLIGHT_UPLOADS: 1, MAX_IN_FLIGHT_PER_CLIENT: 2 };

describe('admission', () => {
  it('gives each client at most its share, across both phases', () => {
    // given
    const admission = createAdmission(limits);
    const uploading = admission.admit('a');
    const running = admission.admit('a');

    // when
    uploading?.startUpload();
    running?.startWork();

    // then
    expect(admission.admit('a')).toBeNull();
    expect(admission.admit('b')).not.toBeNull();
    running?.release();
    expect(admission.admit('a')).not.toBeNull();
  });

  it('trades the upload slot for a running slot, so the next upload can start', () => {
    // given
    const admission = createAdmission(limits);
    const first = admission.admit('a');
    const second = admission.admit('b');
    expect(first?.startUpload()).toBe(true);
    expect(second?.startUpload()).toBe(false);

    // when
    expect(first?.startWork()).toBe(true);

    // then
    expect(second?.startUpload()).toBe(true);
  });

  it('refuses running beyond MAX_IN_FLIGHT_REQUESTS until one is released', () => {
    // given
    const admission = createAdmission({ ...limits, MAX_IN_FLIGHT_PER_CLIENT: 10 });
    const tickets = [1, 2, 3].map(() => admission.admit('a'));

    // when
    const started = tickets.map((ticket) => ticket?.startWork());
    tickets[0]?.release();

    // then
    expect(started).toEqual([true, true, false]);
    expect(tickets[2]?.startWork()).toBe(true);
  });

  it('claims nothing once released, and releases only once (a deadline races the request)', () => {
    // given
    const admission = createAdmission({ ...limits, MAX_IN_FLIGHT_REQUESTS: 1 });
    const expired = admission.admit('a');
    expired?.startUpload();

    // when the deadline releases it, then its body arrives
    expired?.release();
    const late = expired?.startWork();
    expired?.release();

    // then
    expect(late).toBe(false);
    const next = admission.admit('a');
    expect(next?.startUpload()).toBe(true);
    expect(next?.startWork()).toBe(true);
    expect(admission.admit('a')?.startWork()).toBe(false);
  });
});
