// The bench's task module: the seed's naive gcd of one pair (parallel-gcd's algorithm).
import { gcdOf } from '@fanout/parallel-gcd';

export function gcdPair(pair) {
  return gcdOf(pair, 'naive');
}

export function square(x) {
  return x * x;
}
