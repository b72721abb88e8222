import { describe, expect, it } from 'vitest';
import { keyAction } from './use-queue-keyboard.js';

const at = (where: Partial<Parameters<typeof keyAction>[1]> = {}) => ({ inField: false, inGrid: false, onControl: false, onLinkOrButton: false, ...where });

describe('queue shortcuts', () => {
  it('moves with j/k anywhere, with the arrows only inside the table', () => {
    expect(keyAction('j', at())).toBe('move-down');
    expect(keyAction('k', at())).toBe('move-up');
    expect(keyAction('ArrowDown', at())).toBeNull();
    expect(keyAction('ArrowDown', at({ inGrid: true }))).toBe('move-down');
    expect(keyAction('ArrowUp', at({ inGrid: true }))).toBe('move-up');
  });

  it('never acts while typing in a field, where Escape leaves the field', () => {
    for (const key of ['j', 'k', 'x', 'a', 'r', '/', '?', 'Enter']) expect(keyAction(key, at({ inField: true }))).toBeNull();
    expect(keyAction('Escape', at({ inField: true }))).toBe('blur');
  });

  it('opens the current row with Enter or o, but not from a button or link that Enter activates itself', () => {
    expect(keyAction('Enter', at({ inGrid: true }))).toBe('open');
    expect(keyAction('o', at())).toBe('open');
    expect(keyAction('Enter', at({ onControl: true, onLinkOrButton: true }))).toBeNull();
    expect(keyAction('o', at({ onControl: true }))).toBeNull();
    expect(keyAction('Enter', at({ inGrid: true, onLinkOrButton: true }))).toBeNull();
  });

  it('maps the other shortcuts and ignores the rest', () => {
    expect(['x', 'a', 'Escape', '/', 'r', '?'].map((k) => keyAction(k, at()))).toEqual(['select', 'assign', 'clear', 'filters', 'refresh', 'help']);
    expect(keyAction('q', at())).toBeNull();
  });
});
