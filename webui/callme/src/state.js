// The widget's states and the moves between them. The current state is
// what the root element's data-state attribute shows.
//
//   idle ──call──▶ connecting ──180/183──▶ ringing ──200──▶ in-call
//     ▲               │                       │               │
//     │               └───────────────────────┴───────────────┴──▶ ended
//     └────── close ─────────────────────────────────────────────── ended
//   closed: outside opening hours (the button cannot call until it opens)

export const STATES = ['idle', 'connecting', 'ringing', 'in-call', 'ended', 'closed'];

const MOVES = {
  'idle': ['connecting', 'closed'],
  'closed': ['idle'],
  'connecting': ['ringing', 'in-call', 'ended'],
  'ringing': ['in-call', 'ended'],
  'in-call': ['ended'],
  'ended': ['connecting', 'idle', 'closed'],
};

export function canMove(from, to) {
  return (MOVES[from] || []).includes(to);
}

// One widget's state. `data` travels with a move (the reason of an ended
// call, the time a call was answered); listeners see (state, data, previous).
export class StateMachine {
  constructor(initial = 'idle') {
    if (!STATES.includes(initial)) throw new Error('unknown state ' + initial);
    this.state = initial;
    this.data = {};
    this.listeners = [];
  }

  onChange(fn) {
    this.listeners.push(fn);
    return () => {
      this.listeners = this.listeners.filter((f) => f !== fn);
    };
  }

  // Moves to `to` and tells the listeners; false (and no change) when the
  // move is not allowed, e.g. a late 'progress' after the call ended.
  go(to, data = {}) {
    if (!canMove(this.state, to)) return false;
    const previous = this.state;
    this.state = to;
    this.data = data;
    for (const fn of this.listeners.slice()) fn(to, data, previous);
    return true;
  }

  // A call is on from the first click until it ended.
  get busy() {
    return this.state === 'connecting' || this.state === 'ringing' || this.state === 'in-call';
  }
}
