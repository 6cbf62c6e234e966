import { runFetchStateContract } from '../../contract/fetch-state.contract.js';
import { createMemoryFetchState } from '../../helpers/memory-state.js';

runFetchStateContract({ name: 'in memory (the test double)', create: async () => ({ state: createMemoryFetchState() }) });
