// A stand-in engine thread whose engine fails on every question (it says so, as the real one does).
import { parentPort } from 'node:worker_threads';

parentPort.on('message', ({ id }) => parentPort.postMessage({ id, failed: true }));
parentPort.postMessage({ ready: true });
