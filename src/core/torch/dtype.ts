// PyTorch's type promotion (c10 promoteTypes and at::native::result_type), for the four dtypes we hold.
//
// Operands fall in three groups with falling priority: tensors with dimensions, zero-dim tensors, and Python
// numbers ("wrapped numbers", weak: a Python float counts as the default dtype float32). A lower group only
// changes the result when it is of a higher category (bool < integer < floating): int64 tensor * 0.5 is
// float32, float32 tensor * 0.1 stays float32 (0.1 is rounded to float32 first).

import type { DType } from './tensor.js';

export type ScalarKind = 'bool' | 'int' | 'float';

const rank: Record<DType, number> = { bool: 0, int64: 1, float32: 2, float64: 3 };
const category = (d: DType): number => (d === 'bool' ? 0 : d === 'int64' ? 1 : 2);
const isFloating = (d: DType): boolean => d === 'float32' || d === 'float64';

/** promoteTypes for our lattice bool < int64 < float32 < float64. */
export function promoteTypes(a: DType, b: DType): DType {
  return rank[a] >= rank[b] ? a : b;
}

type Maybe = DType | null;
const promoteSkip = (a: Maybe, b: Maybe): Maybe => (a === null ? b : b === null ? a : promoteTypes(a, b));

/** c10's combine_categories(higher, lower). */
function combine(higher: Maybe, lower: Maybe): Maybe {
  if (higher !== null && isFloating(higher)) return higher;
  if (higher === 'bool' || (lower !== null && isFloating(lower))) return promoteSkip(higher, lower);
  return higher ?? lower;
}

export interface Operand {
  dtype: DType;
  /** 0 for a tensor with dims, 1 for a zero-dim tensor, 2 for a Python number */
  group: 0 | 1 | 2;
}

export function resultType(ops: readonly Operand[]): DType {
  const st: Maybe[] = [null, null, null];
  for (const o of ops) {
    let d = o.dtype;
    if (o.group === 2 && isFloating(d)) d = 'float32';
    st[o.group] = promoteSkip(st[o.group], d);
  }
  return combine(st[0], combine(st[1], st[2])) ?? 'float32';
}

export function scalarDType(kind: ScalarKind): DType {
  return kind === 'bool' ? 'bool' : kind === 'int' ? 'int64' : 'float64';
}

/** Whether PyTorch lets an op whose result is `from` write into a tensor of dtype `to` (canCast). */
export function canCast(from: DType, to: DType): boolean {
  return category(from) <= category(to);
}

export const pyName: Record<DType, string> = { float32: 'Float', float64: 'Double', int64: 'Long', bool: 'Bool' };
