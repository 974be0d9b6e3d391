import { describe } from 'vitest';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { statisticsCases } from './statistics.cases.js';

describe('statistics on the memory store', () => statisticsCases(async () => new MemoryStore()));
