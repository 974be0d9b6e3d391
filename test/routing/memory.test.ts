import { describe } from 'vitest';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { assignmentCases } from './assignment.cases.js';
import { lifecycleCases } from './lifecycle.cases.js';
import { transferCases } from './transfer.cases.js';
import { workflowCases } from './workflow.cases.js';
import { invariantCases } from './invariants.cases.js';
import { layoutCases } from './layout.cases.js';

const makeStore = async () => new MemoryStore();

describe('routing on the memory store', () => {
  describe('assignment', () => assignmentCases(makeStore));
  describe('workflow', () => workflowCases(makeStore));
  describe('lifecycle', () => lifecycleCases(makeStore));
  describe('transfers', () => transferCases(makeStore));
});

describe('routing invariants on the memory store', () => invariantCases(makeStore));

describe('persisted layout of routing state on the memory store', () => layoutCases(makeStore));
