// A stand-in engine thread that loads at once and dies on the first question.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', () => {
  throw new Error('the engine thread broke');
});
parentPort.postMessage({ ready: true });
