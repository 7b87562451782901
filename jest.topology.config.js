// The production topology test on its own (`npm run test:topology`): it builds the Temporal server from source when
// absent and runs minutes, so it stays out of `npm test`. One file, one topology, run in band.
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/test/topology/**/*.test.ts'],
  globalSetup: '<rootDir>/test/topology/global-setup.ts',
  globalTeardown: '<rootDir>/test/topology/global-teardown.ts',
};
