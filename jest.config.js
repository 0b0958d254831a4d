/** Tests are TypeScript, transpiled by swc (no type check here: `npm run typecheck` does that). */
module.exports = {
  testEnvironment: "node",
  transform: { "^.+\\.ts$": ["@swc/jest"] },
  testMatch: ["**/__tests__/**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/dist/", "/cdktf.out/"],
  moduleNameMapper: {
    "^@hotspots/(core|simulator|detector)$": "<rootDir>/$1/src/index.ts",
  },
  // The SDK warns once per process that its 2027 releases need Node 22; the pinned release runs on 20.
  setupFiles: ["<rootDir>/jest.setup.js"],
  maxWorkers: 2,
  testTimeout: 60000,
};
