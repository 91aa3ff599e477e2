// The applicability table is written in the form's words; check it against the schemas so a renamed key or
// reworded 選択肢 fails here instead of silently disabling a rule.
import { describe, expect, it } from 'vitest';
import { APPLICABILITY, CONSISTENCY_RULES, type Condition } from '../../src/consistency/index.ts';
import { getRegistry, resolveSchemaAt } from '../../src/schema/index.ts';

const formKey = (id: string) =>
  getRegistry()
    .forms()
    .find((f) => f.formId === id)!.key;
const concrete = (p: string) => p.replace(/\*/g, '0');
const join = (scope: string, rel: string) => (rel ? `${scope}/${rel}` : scope);

function values(c: Condition): string[] {
  if ('equals' in c) return [c.equals];
  if ('oneOf' in c) return c.oneOf;
  if ('lacks' in c) return [c.lacks];
  if ('includes' in c) return [c.includes];
  return [];
}

describe.each(APPLICABILITY.flatMap((row) => row.forms.map((f) => [row.id, f, row] as const)))(
  'row %s (%s)',
  (_id, formId, row) => {
    const form = formKey(formId);
    it('scope, deciding item and items exist in the schema', () => {
      expect(resolveSchemaAt(form, concrete(row.scope)), row.scope).toBeDefined();
      expect(resolveSchemaAt(form, concrete(join(row.scope, row.decide))), row.decide).toBeDefined();
      for (const i of [...row.items, ...(row.requiredItems ?? [])]) {
        expect(resolveSchemaAt(form, concrete(join(row.scope, i))), i).toBeDefined();
      }
    });
    it('every 選択肢 in a condition is a choice of the deciding item', () => {
      const node = resolveSchemaAt(form, concrete(join(row.scope, row.decide)))!;
      const kind = node['x-kind'];
      const conds = [row.notApplicable, ...(row.required ? [row.required] : [])];
      for (const c of conds) {
        if ('checked' in c || 'unchecked' in c) expect(kind).toBe('flag');
        else if ('lacks' in c || 'includes' in c) {
          expect(kind).toBe('multi');
          const choices = resolveSchemaAt(form, concrete(join(row.scope, row.decide)) + '/0/choice')?.enum;
          for (const v of values(c)) expect(choices).toContain(v);
        } else {
          for (const v of values(c)) expect(node.enum).toContain(v);
        }
      }
    });
    it('its blank rule exists and covers the form', () => {
      if (!row.blankRule) return;
      const rule = CONSISTENCY_RULES[row.blankRule];
      expect(rule, row.blankRule).toBeDefined();
      expect(rule.forms).toContain(formId);
    });
  },
);

it('row ids are unique', () => {
  const ids = APPLICABILITY.map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
});
