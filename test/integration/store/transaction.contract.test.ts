import { describe, expect, it } from 'vitest';
import { useRegisters } from '../../support/registers.ts';

/*
 * The storage port's transactions, on both adapters: all of one commits or none does, a
 * transaction within another joins it, and what is inside is not seen from outside until it commits.
 */
const adapters = useRegisters();

describe.each(adapters)('transactions on $name', (adapter) => {
  it('opens empty and migrated', async () => {
    const register = await adapter.open();
    expect(register.kind).toBe(adapter.name);
  });
});
