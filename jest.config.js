/** Tests are TypeScript, transpiled by swc (no type check here: `npm run typecheck` does that). */
module.exports = {
  testEnvironment: "node",
  transform: { "^.+\\.ts$": ["@swc/jest"] },
  testMatch: ["**/__tests__/**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/dist/", "/cdktf.out/"],
  moduleNameMapper: {
    "^@hotspots/(core|simulator|detector)$": "<rootDir>/$1/src/index.ts",
  },
  maxWorkers: 2,
  testTimeout: 60000,
};
