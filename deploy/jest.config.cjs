// Static checks of deploy/: the Kubernetes overlays rendered with `kubectl kustomize`, the compose file and
// the Dockerfile, parsed and held to the invariants of docs/operations.md. No Docker engine needed.
module.exports = {
  ...require('../jest.preset.cjs'),
  displayName: 'deploy',
  rootDir: __dirname,
};
