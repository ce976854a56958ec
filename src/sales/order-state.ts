import type { ORDER_STATES } from '../db/store-schema.js';

export type OrderState = (typeof ORDER_STATES)[number];
export type OrderAction = 'hold' | 'unhold' | 'cancel';

export interface OrderTransition {
  state: OrderState;
  status: string;
  holdBeforeState: OrderState | null;
  holdBeforeStatus: string | null;
}

/**
 * The reference's order rules: only new or processing orders can be held or canceled, and only a
 * held order can be released, back to the state and status it had before the hold.
 */
export function transition(
  current: {
    state: OrderState;
    status: string;
    holdBeforeState: OrderState | null;
    holdBeforeStatus: string | null;
  },
  action: OrderAction,
): OrderTransition | null {
  const open = current.state === 'NEW' || current.state === 'PROCESSING';
  switch (action) {
    case 'hold':
      return open
        ? {
            state: 'HOLDED',
            status: 'holded',
            holdBeforeState: current.state,
            holdBeforeStatus: current.status,
          }
        : null;
    case 'unhold':
      return current.state === 'HOLDED' && current.holdBeforeState
        ? {
            state: current.holdBeforeState,
            status: current.holdBeforeStatus ?? current.holdBeforeState.toLowerCase(),
            holdBeforeState: null,
            holdBeforeStatus: null,
          }
        : null;
    case 'cancel':
      return open
        ? { state: 'CANCELED', status: 'canceled', holdBeforeState: null, holdBeforeStatus: null }
        : null;
  }
}
