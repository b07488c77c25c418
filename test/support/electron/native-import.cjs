// Node's own import(), out of reach of vitest's module runner: what runs through it is loaded by
// Node, with the module hooks of test/support/electron/shell.ts (`electron` → the double).
module.exports = (url) => import(url);
