// A stand-in engine thread that loads at once and never answers: questions must still be answered.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', () => {});
parentPort.postMessage({ ready: true });
