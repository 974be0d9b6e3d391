import { describe, expect, it } from 'vitest';
import { TwilioError } from '../../src/core/errors.js';
import {
  ExpressionSyntaxError,
  evaluateExpression,
  parseAttributePath,
  parseExpression,
  parseOrderBy,
  referencedPaths,
} from '../../src/core/expression/index.js';

function holds(source: string, scope: Record<string, unknown> = {}): boolean {
  return evaluateExpression(parseExpression(source), scope);
}

function syntaxError(parse: () => unknown): ExpressionSyntaxError {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionSyntaxError);
    expect(error).toBeInstanceOf(TwilioError);
    const syntax = error as ExpressionSyntaxError;
    expect(syntax.code).toBe(20001);
    expect(syntax.status).toBe(400);
    return syntax;
  }
  throw new Error('expected a syntax error');
}

function errorPosition(source: string): number {
  return syntaxError(() => parseExpression(source)).position;
}

describe('literals', () => {
  it('reads strings in either quote style, with backslash escapes', () => {
    expect(holds(`a == 'x'`, { a: 'x' })).toBe(true);
    expect(holds(`a == "x"`, { a: 'x' })).toBe(true);
    expect(holds(`a == 'it\\'s'`, { a: "it's" })).toBe(true);
    expect(holds(`a == "say \\"hi\\""`, { a: 'say "hi"' })).toBe(true);
    expect(holds(`a == 'back\\\\slash'`, { a: 'back\\slash' })).toBe(true);
    expect(holds(`a == 'line\\nbreak\\t\\u0041'`, { a: 'line\nbreak\tA' })).toBe(true);
    expect(holds(`a == "it's"`, { a: "it's" })).toBe(true);
    expect(holds(`a == ''`, { a: '' })).toBe(true);
  });

  it('reads integers, decimals and negative numbers', () => {
    expect(holds('a == 42', { a: 42 })).toBe(true);
    expect(holds('a == 3.141529', { a: 3.141529 })).toBe(true);
    expect(holds('a == -7', { a: -7 })).toBe(true);
    expect(holds('a == -0.5', { a: -0.5 })).toBe(true);
    expect(holds('a > -1', { a: 0 })).toBe(true);
  });

  it('reads true, false and null in any case', () => {
    expect(holds('a == true', { a: true })).toBe(true);
    expect(holds('a == TRUE', { a: true })).toBe(true);
    expect(holds('a == False', { a: false })).toBe(true);
    expect(holds('a == false', { a: true })).toBe(false);
    expect(holds('a == NULL', {})).toBe(true);
  });

  it('reads array literals of mixed scalars', () => {
    expect(holds(`a IN ['x', "y", 1, true, null]`, { a: 1 })).toBe(true);
    expect(holds(`a IN ['x', "y", 1, true]`, { a: true })).toBe(true);
    expect(holds(`a IN []`, { a: 1 })).toBe(false);
    expect(holds(`a NOT IN []`, { a: 1 })).toBe(true);
  });

  it('compares two literals: 1==1 is always true', () => {
    expect(holds('1==1')).toBe(true);
    expect(holds('1==2')).toBe(false);
    expect(holds("'a' < 'b'")).toBe(true);
  });
});

describe('key references', () => {
  const scope = {
    task: { agent_sid: 'WK1', skills: ['a', 'b', 'c'], nested: { deep: { value: 5 } } },
    list: [
      [10, 20],
      [30, 40],
    ],
    $odd_key9: 'yes',
    CaseKey: 1,
  };

  it('follows dotted paths', () => {
    expect(holds("task.agent_sid == 'WK1'", scope)).toBe(true);
    expect(holds('task.nested.deep.value == 5', scope)).toBe(true);
  });

  it('follows indexes, including chained ones and dotted digits', () => {
    expect(holds("task.skills[0] == 'a'", scope)).toBe(true);
    expect(holds("task.skills[2] == 'c'", scope)).toBe(true);
    expect(holds('list[1][0] == 30', scope)).toBe(true);
    expect(holds('list.1.1 == 40', scope)).toBe(true);
    expect(holds("task.skills[02] == 'c'", scope)).toBe(true);
  });

  it('reads out-of-range indexes, and indexes into non-arrays, as null', () => {
    expect(holds('task.skills[3] == null', scope)).toBe(true);
    expect(holds('task.agent_sid[0] == null', scope)).toBe(true);
    expect(holds('task.nested[0] == null', scope)).toBe(true);
  });

  it('reads missing keys, at any depth, as null', () => {
    expect(holds('missing == null', scope)).toBe(true);
    expect(holds('task.missing.deeper == null', scope)).toBe(true);
    expect(holds('task.agent_sid.length == null', scope)).toBe(true);
    expect(holds("missing == 'x'", scope)).toBe(false);
  });

  it('does not reach into prototypes or array properties', () => {
    expect(holds('constructor == null', scope)).toBe(true);
    expect(holds('task.skills.length == null', scope)).toBe(true);
    expect(holds('__proto__ == null', scope)).toBe(true);
    expect(holds('task.toString == null', scope)).toBe(true);
  });

  it('treats keys case-sensitively and accepts $ and digits after the first character', () => {
    expect(holds('CaseKey == 1', scope)).toBe(true);
    expect(holds('casekey == null', scope)).toBe(true);
    expect(holds("$odd_key9 == 'yes'", scope)).toBe(true);
  });

  it('reads undefined values as null', () => {
    expect(holds('a == null', { a: undefined })).toBe(true);
  });

  it('does not treat keyword-named keys after a dot as keywords', () => {
    expect(holds("task.in == 'x' AND task.and == 1", { task: { in: 'x', and: 1 } })).toBe(true);
  });
});

describe('comparison operators', () => {
  it('==, and a single = meaning ==', () => {
    expect(holds("a == 'x'", { a: 'x' })).toBe(true);
    expect(holds("a == 'x'", { a: 'y' })).toBe(false);
    expect(holds("a = 'x'", { a: 'x' })).toBe(true);
    expect(holds("a = 'x'", { a: 'y' })).toBe(false);
    expect(holds('a == 1', { a: 1.0 })).toBe(true);
    expect(holds('a == 1.0', { a: 1 })).toBe(true);
    expect(holds('a == b', { a: 'q', b: 'q' })).toBe(true);
  });

  it('!=', () => {
    expect(holds("object.param != 'apple'", { object: { param: 'pear' } })).toBe(true);
    expect(holds("object.param != 'apple'", { object: { param: 'apple' } })).toBe(false);
    expect(holds('a != 2', { a: 1 })).toBe(true);
    expect(holds('a != true', { a: false })).toBe(true);
  });

  it('< <= > >= on numbers', () => {
    expect(holds('a < 2', { a: 1 })).toBe(true);
    expect(holds('a < 2', { a: 2 })).toBe(false);
    expect(holds('a <= 2', { a: 2 })).toBe(true);
    expect(holds('a <= 2', { a: 3 })).toBe(false);
    expect(holds('a > 1', { a: 2 })).toBe(true);
    expect(holds('a > 1', { a: 1 })).toBe(false);
    expect(holds('a >= 5.1', { a: 5.1 })).toBe(true);
    expect(holds('a >= 5.1', { a: 5 })).toBe(false);
  });

  it('< <= > >= on strings compare lexicographically', () => {
    expect(holds("a < 'b'", { a: 'a' })).toBe(true);
    expect(holds("a < 'b'", { a: 'ba' })).toBe(false);
    expect(holds("a >= 'Z'", { a: 'a' })).toBe(true);
    expect(holds("a > '10'", { a: '9' })).toBe(true);
  });

  it('CONTAINS is substring of strings', () => {
    expect(holds("a CONTAINS 'ell'", { a: 'hello' })).toBe(true);
    expect(holds("a CONTAINS 'xyz'", { a: 'hello' })).toBe(false);
    expect(holds("a CONTAINS ''", { a: 'hello' })).toBe(true);
    expect(holds("a contains 'ell'", { a: 'hello' })).toBe(true);
  });

  it('HAS: left array contains right value', () => {
    expect(holds("skills HAS 'support'", { skills: ['sales', 'support'] })).toBe(true);
    expect(holds("skills HAS 'billing'", { skills: ['sales', 'support'] })).toBe(false);
    expect(holds('ids HAS 2', { ids: [1, 2.0, 3] })).toBe(true);
    expect(holds('skills has x', { skills: ['a'], x: 'a' })).toBe(true);
  });

  it('IN: left scalar in right array', () => {
    expect(holds('language IN ["en","es"]', { language: 'en' })).toBe(true);
    expect(holds('language IN ["en","es"]', { language: 'fr' })).toBe(false);
    const task = { preferred_agents: ['a', 'b'] };
    expect(holds('worker.id IN task.preferred_agents', { worker: { id: 'b' }, task })).toBe(true);
    expect(holds('worker.id IN task.preferred_agents', { worker: { id: 'c' }, task })).toBe(false);
  });

  it('NOT IN: right array does not include left', () => {
    expect(holds("a NOT IN ['x', 'y']", { a: 'z' })).toBe(true);
    expect(holds("a NOT IN ['x', 'y']", { a: 'x' })).toBe(false);
    expect(holds("a not in ['x']", { a: 'z' })).toBe(true);
    expect(holds("a Not \n In ['x']", { a: 'z' })).toBe(true);
  });
});

describe('null and missing values', () => {
  it('== null and != null', () => {
    expect(holds('preferred_agents != null', { preferred_agents: ['a'] })).toBe(true);
    expect(holds('preferred_agents != null', {})).toBe(false);
    expect(holds('preferred_agents != null', { preferred_agents: null })).toBe(false);
    expect(holds('preferred_agents == null', {})).toBe(true);
    expect(holds('a == null', { a: { b: 1 } })).toBe(false);
    expect(holds('a == null', { a: 0 })).toBe(false);
    expect(holds('a == null', { a: '' })).toBe(false);
    expect(holds('null == null')).toBe(true);
  });

  it('a missing value is not equal to any non-null value, and differs from it', () => {
    expect(holds("missing == 'apple'", {})).toBe(false);
    expect(holds("missing != 'apple'", {})).toBe(true);
  });

  it('ordering and CONTAINS with null are false', () => {
    for (const operator of ['<', '<=', '>', '>=']) {
      expect(holds(`missing ${operator} 1`, {})).toBe(false);
      expect(holds(`1 ${operator} missing`, {})).toBe(false);
    }
    expect(holds("missing CONTAINS 'a'", {})).toBe(false);
    expect(holds('a CONTAINS missing', { a: 'abc' })).toBe(false);
  });

  it('null is never a member: HAS and IN are false, NOT IN is true', () => {
    expect(holds('missing IN [1, null]', {})).toBe(false);
    expect(holds('list HAS missing', { list: [null, 1] })).toBe(false);
    expect(holds('missing NOT IN [1, 2]', {})).toBe(true);
    expect(holds('missing NOT IN [null]', {})).toBe(true);
  });

  it('array operators on a missing array are false', () => {
    expect(holds("missing HAS 'a'", {})).toBe(false);
    expect(holds('a IN missing', { a: 1 })).toBe(false);
    expect(holds('a NOT IN missing', { a: 1 })).toBe(false);
  });
});

describe('type rules', () => {
  it('no coercion between strings and numbers', () => {
    expect(holds("a == '1'", { a: 1 })).toBe(false);
    expect(holds('a == 1', { a: '1' })).toBe(false);
    expect(holds("a != '1'", { a: 1 })).toBe(false);
    expect(holds("a < '2'", { a: 1 })).toBe(false);
    expect(holds("a IN ['1']", { a: 1 })).toBe(false);
    expect(holds('a HAS 1', { a: ['1'] })).toBe(false);
    expect(holds('a == true', { a: 1 })).toBe(false);
  });

  it('booleans are not ordered', () => {
    expect(holds('a < true', { a: false })).toBe(false);
    expect(holds('a >= true', { a: true })).toBe(false);
  });

  it('scalar operators with an array operand are false', () => {
    const scope = { list: ['a'], other: ['a'] };
    expect(holds("list == 'a'", scope)).toBe(false);
    expect(holds("list != 'a'", scope)).toBe(false);
    expect(holds('list == other', scope)).toBe(false);
    expect(holds("list == ['a']", scope)).toBe(false);
    expect(holds("list CONTAINS 'a'", scope)).toBe(false);
    expect(holds('list > 1', scope)).toBe(false);
  });

  it('objects are never equal to anything', () => {
    const scope = { o: { x: 1 }, p: { x: 1 } };
    expect(holds('o == p', scope)).toBe(false);
    expect(holds('o != p', scope)).toBe(false);
    expect(holds("o CONTAINS 'x'", scope)).toBe(false);
    expect(holds('list HAS o', { ...scope, list: [scope.o] })).toBe(false);
  });

  it('array operators whose array side is not an array are false', () => {
    expect(holds("s HAS 'a'", { s: 'abc' })).toBe(false);
    expect(holds("'a' IN s", { s: 'abc' })).toBe(false);
    expect(holds("'z' NOT IN s", { s: 'abc' })).toBe(false);
    expect(holds("s HAS 'a'", { s: { a: 1 } })).toBe(false);
  });

  it('array operators with an array where a scalar belongs are false', () => {
    expect(holds("list HAS ['a']", { list: ['a', ['a']] })).toBe(false);
    expect(holds('list IN nested', { list: ['a'], nested: [['a']] })).toBe(false);
    expect(holds("list NOT IN ['b']", { list: ['a'] })).toBe(false);
  });
});

describe('logical operators', () => {
  it('AND and OR, in any case', () => {
    expect(holds('1==1 AND 1==1')).toBe(true);
    expect(holds('1==1 and 1==2')).toBe(false);
    expect(holds('1==2 Or 1==1')).toBe(true);
    expect(holds('1==2 OR 1==2')).toBe(false);
  });

  it('AND binds tighter than OR', () => {
    expect(holds('1==1 OR 1==2 AND 1==2')).toBe(true);
    expect(holds('1==2 AND 1==2 OR 1==1')).toBe(true);
    expect(holds('(1==1 OR 1==2) AND 1==2')).toBe(false);
  });

  it('parentheses group, to any depth up to the limit', () => {
    expect(holds('((((1==1))))')).toBe(true);
    expect(holds('(1==2 OR (1==1 AND (2==2)))')).toBe(true);
    expect(holds('('.repeat(64) + '1==1' + ')'.repeat(64))).toBe(true);
  });

  it('long flat chains evaluate without deep recursion', () => {
    const chain = Array.from({ length: 1000 }, (_, i) => `a == ${i}`).join(' OR ');
    expect(holds(chain, { a: 999 })).toBe(true);
    expect(holds(chain, { a: 1000 })).toBe(false);
  });
});

describe('documented examples', () => {
  it("(skills HAS 'support') AND (languages HAS 'english')", () => {
    const source = "(skills HAS 'support') AND (languages HAS 'english')";
    expect(holds(source, { skills: ['support'], languages: ['english', 'french'] })).toBe(true);
    expect(holds(source, { skills: ['support'], languages: ['french'] })).toBe(false);
  });

  it('language IN ["en","es"]', () => {
    expect(holds('language IN ["en","es"]', { language: 'es' })).toBe(true);
  });

  it('worker.id IN task.preferred_agents', () => {
    expect(holds('worker.id IN task.preferred_agents', { worker: { id: 7 }, task: { preferred_agents: [7] } })).toBe(true);
  });

  it('task.required_language IN worker.spoken_languages', () => {
    const source = 'task.required_language IN worker.spoken_languages';
    expect(holds(source, { task: { required_language: 'fr' }, worker: { spoken_languages: ['en', 'fr'] } })).toBe(true);
    expect(holds(source, { task: { required_language: 'de' }, worker: { spoken_languages: ['en', 'fr'] } })).toBe(false);
  });

  it("worker.activity_name in ['General Avail','High Value Tasks']", () => {
    const source = "worker.activity_name in ['General Avail','High Value Tasks']";
    expect(holds(source, { worker: { activity_name: 'High Value Tasks' } })).toBe(true);
    expect(holds(source, { worker: { activity_name: 'Offline' } })).toBe(false);
  });

  it('(language == "en" OR language == "fr") AND skill_rating >= 5.1', () => {
    const source = '(language == "en" OR language == "fr") AND skill_rating >= 5.1';
    expect(holds(source, { language: 'fr', skill_rating: 5.1 })).toBe(true);
    expect(holds(source, { language: 'fr', skill_rating: 5 })).toBe(false);
    expect(holds(source, { language: 'de', skill_rating: 9 })).toBe(false);
  });

  it('object.param != "apple"', () => {
    expect(holds('object.param != "apple"', { object: { param: 'banana' } })).toBe(true);
  });

  it("taskrouter.dayOfWeek == 'Sat' (and the = spelling)", () => {
    expect(holds("taskrouter.dayOfWeek == 'Sat'", { taskrouter: { dayOfWeek: 'Sat' } })).toBe(true);
    expect(holds("taskrouter.dayOfWeek = 'Sat'", { taskrouter: { dayOfWeek: 'Sun' } })).toBe(false);
  });
});

describe('evaluation safety', () => {
  it('does not modify the scope', () => {
    const scope = { a: [1, 2], o: { b: 'x' } };
    const before = JSON.stringify(scope);
    holds("a HAS 1 AND o.b == 'x' AND o.c == null AND a[5] == null", scope);
    expect(JSON.stringify(scope)).toBe(before);
  });

  it('never throws, even on a scope with throwing getters', () => {
    const scope = {
      get boom(): unknown {
        throw new Error('no');
      },
    };
    expect(evaluateExpression(parseExpression('boom == 1'), scope)).toBe(false);
  });

  it('evaluates the same parsed expression against many scopes', () => {
    const expression = parseExpression("skills HAS 'a'");
    expect(evaluateExpression(expression, { skills: ['a'] })).toBe(true);
    expect(evaluateExpression(expression, { skills: ['b'] })).toBe(false);
    expect(evaluateExpression(expression, { skills: ['a'] })).toBe(true);
  });
});

describe('syntax errors', () => {
  it('empty or blank expression', () => {
    expect(errorPosition('')).toBe(0);
    expect(errorPosition('   ')).toBe(3);
  });

  it('a bare path or literal without an operator', () => {
    expect(errorPosition('skills')).toBe(6);
    expect(errorPosition("'gold'")).toBe(6);
    expect(errorPosition('skills AND 1==1')).toBe(7);
    expect(errorPosition('(skills)')).toBe(7);
  });

  it('a standalone NOT', () => {
    expect(errorPosition('NOT a == 1')).toBe(0);
    expect(errorPosition('a NOT 1')).toBe(2);
    expect(errorPosition("a NOT HAS 'x'")).toBe(2);
    expect(errorPosition('1==1 AND NOT (a == 1)')).toBe(9);
  });

  it('dangling or doubled logical operators', () => {
    expect(errorPosition('AND 1==1')).toBe(0);
    expect(errorPosition('1==1 AND')).toBe(8);
    expect(errorPosition('1==1 OR OR 1==1')).toBe(8);
    expect(errorPosition('1==1 1==1')).toBe(5);
  });

  it('operator problems', () => {
    expect(errorPosition('a == ')).toBe(5);
    expect(errorPosition('a === 1')).toBe(4);
    expect(errorPosition('a ! 1')).toBe(2);
    expect(errorPosition('a <> 1')).toBe(3);
    expect(errorPosition('a == 1 == 1')).toBe(7);
    expect(errorPosition('a IN')).toBe(4);
    expect(errorPosition('a && b')).toBe(2);
  });

  it('unbalanced parentheses', () => {
    expect(errorPosition('(1==1')).toBe(5);
    expect(errorPosition('1==1)')).toBe(4);
    expect(errorPosition('a == )')).toBe(5);
    expect(errorPosition('()')).toBe(1);
  });

  it('hyphens in identifiers', () => {
    expect(errorPosition("my-attr == 'x'")).toBe(2);
    expect(errorPosition("task.my-attr == 'x'")).toBe(7);
  });

  it('malformed literals', () => {
    expect(errorPosition("a == 'open")).toBe(5);
    expect(errorPosition('a == "open\\"')).toBe(5);
    expect(errorPosition('a == 1.')).toBe(6);
    expect(errorPosition('a == 1abc')).toBe(6);
    expect(errorPosition('a == 1.2.3')).toBe(8);
    expect(errorPosition("a == '\\u12'")).toBe(6);
    expect(errorPosition('a == 1' + '0'.repeat(400))).toBe(5);
  });

  it('malformed array literals', () => {
    expect(errorPosition('a IN [1, 2')).toBe(10);
    expect(errorPosition('a IN [1 2]')).toBe(8);
    expect(errorPosition('a IN [1,]')).toBe(8);
    expect(errorPosition('a IN [[1]]')).toBe(6);
    expect(errorPosition('a IN [b]')).toBe(6);
  });

  it('malformed paths', () => {
    expect(errorPosition('a. == 1')).toBe(2);
    expect(errorPosition('a.b[x] == 1')).toBe(4);
    expect(errorPosition('a.b[1 == 1')).toBe(5);
    expect(errorPosition('a[-1] == 1')).toBe(2);
    expect(errorPosition('a [1] == 1')).toBe(2);
  });

  it('unknown characters', () => {
    expect(errorPosition('a == 1 ; b == 2')).toBe(7);
    expect(errorPosition('a == #')).toBe(5);
    expect(errorPosition('é == 1')).toBe(0);
  });

  it('nesting deeper than 64 levels', () => {
    expect(errorPosition('('.repeat(65) + '1==1' + ')'.repeat(65))).toBe(64);
    expect(errorPosition('('.repeat(10_000))).toBe(64);
  });

  it('expressions longer than 16384 characters', () => {
    const long = '1==1' + ' '.repeat(16_381);
    expect(errorPosition(long)).toBe(16_384);
    expect(holds('1==1' + ' '.repeat(16_380))).toBe(true);
  });

  it('reports the first problem in reading order', () => {
    expect(errorPosition("AND 'unterminated")).toBe(0);
  });

  it('the message includes the expression text and a clearly 0-based position', () => {
    const error = syntaxError(() => parseExpression('a == )'));
    expect(error.message).toContain('a == )');
    expect(error.message).toContain('(0-based)');
    expect(error.message).toContain(String(error.position));
  });

  it('the message shortens very long expressions', () => {
    const error = syntaxError(() => parseExpression('a == 1 AND '.repeat(1000) + ')'));
    expect(error.message.length).toBeLessThan(300);
  });
});

describe('referencedPaths', () => {
  it('lists every path read, once, in order of appearance', () => {
    const expression = parseExpression("(task.skills HAS 'a' OR worker.sid == task.agent) AND worker.sid != null AND list[2] IN ['x'] AND 1==1");
    expect(referencedPaths(expression)).toEqual([
      ['task', 'skills'],
      ['worker', 'sid'],
      ['task', 'agent'],
      ['list', '2'],
    ]);
  });

  it('returns nothing for literal-only expressions', () => {
    expect(referencedPaths(parseExpression('1==1'))).toEqual([]);
  });

  it('returns copies that do not change the expression', () => {
    const expression = parseExpression("a.b == 'x'");
    referencedPaths(expression)[0]!.push('c');
    expect(referencedPaths(expression)).toEqual([['a', 'b']]);
    expect(evaluateExpression(expression, { a: { b: 'x' } })).toBe(true);
  });
});

describe('parseOrderBy', () => {
  it('reads keys with optional, case-insensitive directions, defaulting to ASC', () => {
    expect(parseOrderBy('worker.english_level ASC, worker.x DESC')).toEqual([
      { path: ['worker', 'english_level'], direction: 'ASC' },
      { path: ['worker', 'x'], direction: 'DESC' },
    ]);
    expect(parseOrderBy('worker.a')).toEqual([{ path: ['worker', 'a'], direction: 'ASC' }]);
    expect(parseOrderBy(' worker.a desc ,worker.b asc,worker.c ')).toEqual([
      { path: ['worker', 'a'], direction: 'DESC' },
      { path: ['worker', 'b'], direction: 'ASC' },
      { path: ['worker', 'c'], direction: 'ASC' },
    ]);
  });

  it('rejects malformed clauses with the position of the problem', () => {
    expect(syntaxError(() => parseOrderBy('')).position).toBe(0);
    expect(syntaxError(() => parseOrderBy('worker.a UP')).position).toBe(9);
    expect(syntaxError(() => parseOrderBy('worker.a ASC,')).position).toBe(13);
    expect(syntaxError(() => parseOrderBy('worker.a ASC DESC')).position).toBe(13);
    expect(syntaxError(() => parseOrderBy(', worker.a')).position).toBe(0);
    expect(syntaxError(() => parseOrderBy("'worker.a'")).position).toBe(0);
  });
});

describe('parseAttributePath', () => {
  it('splits dotted and indexed paths', () => {
    expect(parseAttributePath('task.agent_sid')).toEqual(['task', 'agent_sid']);
    expect(parseAttributePath('a.b[2]')).toEqual(['a', 'b', '2']);
    expect(parseAttributePath('  single  ')).toEqual(['single']);
  });

  it('rejects anything but exactly one path', () => {
    expect(syntaxError(() => parseAttributePath('')).position).toBe(0);
    expect(syntaxError(() => parseAttributePath('task.agent_sid == 1')).position).toBe(15);
    expect(syntaxError(() => parseAttributePath('task.')).position).toBe(5);
    expect(syntaxError(() => parseAttributePath('task.agent-sid')).position).toBe(10);
    expect(syntaxError(() => parseAttributePath("'task.x'")).position).toBe(0);
    expect(syntaxError(() => parseAttributePath('AND')).position).toBe(0);
  });
});
