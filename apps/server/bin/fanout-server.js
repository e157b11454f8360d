#!/usr/bin/env node
// The `fanout-server` command. This file is committed (the build output is not) so that a
// fresh `pnpm install` can link the command before anything is built.
import '../dist/bin.js';
