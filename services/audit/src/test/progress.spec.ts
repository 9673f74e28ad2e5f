import { PassThrough } from 'node:stream';
import { progressBar } from '../cli/progress';

/** A terminal-like stream that remembers what was drawn on it. */
function terminal(): PassThrough & { isTTY: boolean; columns: number; text(): string } {
  const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  let written = '';
  stream.on('data', (chunk: Buffer) => (written += chunk.toString('utf8')));
  return Object.assign(stream, { text: () => written });
}

describe('CLI progress bars', () => {
  it('draws a bar with the count of events on a terminal', () => {
    const screen = terminal();
    const bar = progressBar('verify', 200, true, screen);
    bar.update(50);
    bar.update(200);
    bar.stop();
    expect(screen.text()).toContain('verify [');
    expect(screen.text()).toContain('200/200 events');
  });

  it('draws nothing when the output is not a terminal, or there is nothing to count', () => {
    const screen = terminal();
    for (const bar of [progressBar('verify', 200, false, screen), progressBar('verify', 0, true, screen)]) {
      bar.update(10);
      bar.stop();
    }
    expect(screen.text()).toBe('');
  });
});
