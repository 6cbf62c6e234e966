/** The schema of one sources.yaml entry lives with the model it defines; this path stays for the catalogue code. */
export * from '../model/source.js';
