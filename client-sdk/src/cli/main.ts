#!/usr/bin/env node
// The `ccx` executable: runs the command line against the real process and exits with its code.
import { processIo } from './io.js';
import { main } from './program.js';

const io = processIo();
const code = await main(process.argv.slice(2), io);
// Exit once everything written has reached the terminal or pipe; open keep-alive connections to the
// hub would otherwise hold the process for a few seconds.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
