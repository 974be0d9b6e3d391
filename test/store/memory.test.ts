import { describe } from 'vitest';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { storeCases } from './store.cases.js';

describe('memory store', () => storeCases(async (options) => new MemoryStore(options)));
