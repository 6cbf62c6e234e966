/**
 * A progress line on stderr for long maintenance commands: redrawn in place on a terminal, printed
 * every `every` items (and at the end) when stderr is a log file.
 */
export function progressBar(label: string, opts: { every?: number } = {}) {
  const every = opts.every ?? 5000;
  let lastPrinted = 0;
  return {
    update(done: number, total: number, detail = '') {
      const share = total ? Math.min(1, done / total) : 1;
      const line = `${label} [${'#'.repeat(Math.round(share * 30)).padEnd(30)}] ${done}/${total}${detail ? `, ${detail}` : ''}`;
      if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
      else if (done - lastPrinted >= every || done >= total) {
        process.stderr.write(`${line}\n`);
        lastPrinted = done;
      }
    },
    end() {
      if (process.stderr.isTTY) process.stderr.write('\n');
    },
  };
}
