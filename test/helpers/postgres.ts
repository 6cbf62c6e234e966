/** The private PostgreSQL cluster the tests start (and the benchmarks): bench/postgres-server.ts. */
export { findPostgresBin, startLocalPostgres, type LocalPostgres } from '../../bench/postgres-server.js';
