import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NetworkPolicies, portAllowed, type Pod } from './network-policies';
import {
  allContainers,
  DEPLOY,
  deployableServices,
  REPO,
  effectiveEnv,
  envOf,
  imageTag,
  KUBECTL,
  koppelstukService,
  matchesSelector,
  named,
  ofKind,
  PROJECTORS,
  render,
  SECRET_NAME,
  URL_WITH_PASSWORD,
  workloads,
  type Container,
  type LabelSelector,
  type Manifest,
  type Probe,
  type Workload,
} from './support';

/**
 * Every overlay under deploy/k8s/overlays, rendered by `kubectl kustomize` exactly as an operator would, then
 * held to the deployment's invariants. Each check collects every violation, so a failure lists them all.
 */
const OVERLAYS = readdirSync(join(DEPLOY, 'k8s', 'overlays')).filter((entry) => statSync(join(DEPLOY, 'k8s', 'overlays', entry)).isDirectory());
const SERVICES = deployableServices();
const SUBGRAPHS = [...SERVICES.keys()].filter((name) => name !== 'gateway');
const REQUIRE_KUBECTL = process.env['KOPPELSTUK_REQUIRE_KUBECTL'] === '1';

describe('Kubernetes manifests', () => {
  it('has the overlays dev and production, and the services it deploys', () => {
    expect(OVERLAYS).toEqual(expect.arrayContaining(['dev', 'production']));
    expect([...SERVICES.keys()]).toEqual(expect.arrayContaining(['gateway', 'referrals', 'directory', 'inbox', 'outcomes']));
  });

  if (!KUBECTL) {
    if (REQUIRE_KUBECTL) {
      it('renders every overlay', () => {
        throw new Error('KOPPELSTUK_REQUIRE_KUBECTL=1 but kubectl is not on PATH (or set KUBECTL to its path)');
      });
    } else {
      it.skip('renders every overlay and checks its invariants — SKIPPED: kubectl not found on PATH (set KUBECTL, or KOPPELSTUK_REQUIRE_KUBECTL=1 to fail instead)', () => undefined);
    }
  }
});

(KUBECTL ? describe.each(OVERLAYS) : describe.skip.each(OVERLAYS))('overlay %s, rendered with kubectl kustomize', (overlay) => {
  const production = overlay === 'production';
  let manifests: Manifest[] = [];
  let all: Workload[] = [];
  let namespace = '';

  beforeAll(() => {
    manifests = render(join(DEPLOY, 'k8s', 'overlays', overlay));
    all = workloads(manifests);
    namespace = ofKind(manifests, 'Namespace')[0]?.metadata.name ?? '';
  });

  const deployment = (name: string) => all.find((w) => w.kind === 'Deployment' && w.name === name);
  const app = (w: Workload): Container => {
    const container = w.pod.containers[0];
    if (!container) throw new Error(`${w.name} has no container`);
    return container;
  };
  const storeClients = () => all.filter((w) => w.podLabels['koppelstuk.nl/database-client'] === 'true');

  it('lives in one namespace that enforces the restricted Pod Security Standard', () => {
    const namespaces = ofKind(manifests, 'Namespace');
    expect(namespaces).toHaveLength(1);
    expect(namespaces[0]?.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    const elsewhere = manifests.filter((m) => m.kind !== 'Namespace' && m.metadata.namespace !== namespace).map((m) => `${m.kind}/${m.metadata.name}`);
    expect(elsewhere).toEqual([]);
  });

  it('gives every long-running container a readiness and a liveness probe; Koppelstuk probes /health/ready and /health/live', () => {
    const problems: string[] = [];
    for (const w of all.filter((x) => x.kind === 'Deployment' || x.kind === 'StatefulSet')) {
      for (const c of allContainers(w.pod)) {
        const where = `${w.kind}/${w.name}/${c.name}`;
        if (!c.readinessProbe) problems.push(`${where}: no readinessProbe`);
        if (!c.livenessProbe) problems.push(`${where}: no livenessProbe`);
        for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe].filter((p): p is Probe => !!p)) {
          const port = probe.httpGet?.port ?? probe.tcpSocket?.port;
          if (port !== undefined && !c.ports?.some((p) => p.name === port || p.containerPort === port)) problems.push(`${where}: probe on undeclared port ${port}`);
        }
        if (koppelstukService(c.image)) {
          if (c.readinessProbe?.httpGet?.path !== '/health/ready') problems.push(`${where}: readiness is not GET /health/ready`);
          if (c.livenessProbe?.httpGet?.path !== '/health/live') problems.push(`${where}: liveness is not GET /health/live`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('gives every container resource requests and limits for cpu and memory', () => {
    const problems: string[] = [];
    for (const w of all) {
      for (const c of allContainers(w.pod)) {
        for (const kind of ['requests', 'limits'] as const) {
          for (const resource of ['cpu', 'memory']) {
            if (!c.resources?.[kind]?.[resource]) problems.push(`${w.kind}/${w.name}/${c.name}: no ${kind}.${resource}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('runs every container as a numeric non-root user with a read-only root filesystem, no privilege escalation, no capabilities, seccomp RuntimeDefault and an emptyDir /tmp', () => {
    const problems: string[] = [];
    for (const w of all) {
      const pod = w.pod;
      const podContext = pod.securityContext ?? {};
      if (pod.hostNetwork || pod.hostPID || pod.hostIPC) problems.push(`${w.name}: shares a host namespace`);
      if (pod.automountServiceAccountToken !== false) problems.push(`${w.name}: mounts a service-account token`);
      if (pod.enableServiceLinks !== false) problems.push(`${w.name}: service links enabled`);
      if (pod.volumes?.some((v) => v.hostPath)) problems.push(`${w.name}: hostPath volume`);
      for (const c of allContainers(pod)) {
        const where = `${w.kind}/${w.name}/${c.name}`;
        const context = c.securityContext ?? {};
        const user = context.runAsUser ?? podContext.runAsUser;
        if ((context.runAsNonRoot ?? podContext.runAsNonRoot) !== true) problems.push(`${where}: runAsNonRoot is not true`);
        if (typeof user !== 'number' || !Number.isInteger(user) || user <= 0) problems.push(`${where}: runAsUser is not a numeric non-root id`);
        if (context.readOnlyRootFilesystem !== true) problems.push(`${where}: root filesystem is writable`);
        if (context.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation is not false`);
        if (context.privileged === true) problems.push(`${where}: privileged`);
        if (!(context.capabilities?.drop ?? []).includes('ALL')) problems.push(`${where}: capabilities not dropped`);
        if ((context.capabilities?.add ?? []).length > 0) problems.push(`${where}: adds capabilities`);
        if ((context.seccompProfile ?? podContext.seccompProfile)?.type !== 'RuntimeDefault') problems.push(`${where}: seccomp is not RuntimeDefault`);
        const tmp = c.volumeMounts?.find((m) => m.mountPath === '/tmp');
        if (!tmp || !pod.volumes?.find((v) => v.name === tmp.name)?.emptyDir) problems.push(`${where}: /tmp is not an emptyDir`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('writes no secret value: no Secret objects, secret-named variables only by reference or as files on secret volumes, no credentials in URLs', () => {
    const problems: string[] = [];
    for (const secret of ofKind(manifests, 'Secret')) {
      if (secret.data || secret.stringData) problems.push(`Secret/${secret.metadata.name} carries values`);
    }
    for (const configMap of ofKind(manifests, 'ConfigMap')) {
      for (const [key, value] of Object.entries(configMap.data ?? {})) {
        if (SECRET_NAME.test(key) && !/_FILE$/.test(key)) problems.push(`ConfigMap/${configMap.metadata.name}: ${key}`);
        if (URL_WITH_PASSWORD.test(value) || value.includes('-----BEGIN')) problems.push(`ConfigMap/${configMap.metadata.name}: ${key} holds a credential`);
      }
    }
    for (const w of all) {
      for (const c of allContainers(w.pod)) {
        const where = `${w.kind}/${w.name}/${c.name}`;
        for (const variable of c.env ?? []) {
          if (['DATABASE_URL', 'KURRENTDB_CONNECTION_STRING'].includes(variable.name) && !variable.valueFrom?.secretKeyRef) {
            problems.push(`${where}: ${variable.name} is not from a Secret`);
          }
          if (variable.value === undefined) continue;
          if (URL_WITH_PASSWORD.test(variable.value) || variable.value.includes('-----BEGIN')) problems.push(`${where}: ${variable.name} holds a credential`);
          if (!SECRET_NAME.test(variable.name)) continue;
          if (!/_(FILE|PATH)$/.test(variable.name)) problems.push(`${where}: ${variable.name} has an inline value`);
          else if (!secretVolumeFor(w, c, variable.value)) problems.push(`${where}: ${variable.name}=${variable.value} is not on a secret volume`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('refers only to ConfigMaps it renders, and only to Secrets that docs/operations.md tells the operator about', () => {
    const configMaps = new Set(ofKind(manifests, 'ConfigMap').map((m) => m.metadata.name));
    const secrets = new Set<string>();
    const problems: string[] = [];
    for (const w of all) {
      for (const c of allContainers(w.pod)) {
        for (const source of c.envFrom ?? []) {
          if (source.configMapRef && !configMaps.has(source.configMapRef.name)) problems.push(`${w.name}: ConfigMap ${source.configMapRef.name} does not exist`);
          if (source.secretRef) secrets.add(source.secretRef.name);
        }
        for (const variable of c.env ?? []) if (variable.valueFrom?.secretKeyRef) secrets.add(variable.valueFrom.secretKeyRef.name);
      }
      for (const volume of w.pod.volumes ?? []) if (volume.secret) secrets.add(volume.secret.secretName);
    }
    for (const m of manifests) {
      const text = JSON.stringify(m.spec ?? {});
      for (const [, name] of text.matchAll(/"secretName":"([\w.-]+)"/g)) secrets.add(name as string);
      if (m.kind === 'ObjectStore') {
        const credentials = (m.spec?.['configuration'] as { s3Credentials?: Record<string, { name?: string }> }).s3Credentials ?? {};
        for (const reference of Object.values(credentials)) if (reference.name) secrets.add(reference.name);
      }
    }
    const guide = readFileSync(join(REPO, 'docs', 'operations.md'), 'utf8');
    for (const name of secrets) if (!guide.includes(`\`${name}\``)) problems.push(`Secret ${name} is not described in docs/operations.md`);
    expect(problems).toEqual([]);
  });

  it('runs images of services that exist under services/, with pinned tags', () => {
    const problems: string[] = [];
    for (const w of all) {
      for (const c of allContainers(w.pod)) {
        const where = `${w.kind}/${w.name}/${c.name}`;
        const tag = imageTag(c.image);
        if (!tag || tag === 'latest' || (!production && !/^[\w.-]+$/.test(tag))) problems.push(`${where}: image ${c.image} has no pinned tag`);
        const service = koppelstukService(c.image);
        if (service) {
          if (!SERVICES.has(service)) problems.push(`${where}: image ${c.image} names no service under services/`);
          if (w.podLabels['koppelstuk.nl/service'] !== service) problems.push(`${where}: label koppelstuk.nl/service is not ${service}`);
          if (production && !/^\d+\.\d+\.\d+/.test(tag ?? '')) problems.push(`${where}: production image ${c.image} is not a release tag`);
        } else if (!/\d/.test(tag ?? '')) {
          problems.push(`${where}: third-party image ${c.image} is not pinned to a version`);
        }
      }
    }
    for (const cluster of ofKind(manifests, 'Cluster')) {
      if (!/:\d+(\.\d+)+/.test(String(cluster.spec?.['imageName'] ?? ''))) problems.push(`Cluster/${cluster.metadata.name}: imageName not pinned`);
    }
    expect(problems).toEqual([]);
  });

  it('deploys every service: a Deployment, a Service on its default port, and the gateway pointed at every subgraph', () => {
    const problems: string[] = [];
    const gateway = deployment('gateway');
    for (const [service, port] of SERVICES) {
      const w = deployment(service);
      if (!w) {
        problems.push(`no Deployment ${service}`);
        continue;
      }
      if (koppelstukService(app(w).image) !== service) problems.push(`${service}: runs ${app(w).image}`);
      if (!app(w).ports?.some((p) => p.name === 'http' && p.containerPort === port)) problems.push(`${service}: container port http is not ${port}`);
      if (envOf(app(w), 'PORT')?.value !== String(port)) problems.push(`${service}: PORT is not ${port}`);
      const svc = manifests.find((m) => m.kind === 'Service' && m.metadata.name === service);
      const ports = (svc?.spec?.['ports'] ?? []) as { port: number; targetPort: string | number }[];
      if (!svc || !ports.some((p) => p.port === port && p.targetPort === 'http')) problems.push(`${service}: no Service ${service}:${port} → http`);
      if (svc && !matchesSelector({ matchLabels: svc.spec?.['selector'] as Record<string, string> }, w.podLabels)) problems.push(`${service}: its Service does not select it`);
      if (service !== 'gateway' && gateway) {
        const url = envOf(app(gateway), `${service.toUpperCase()}_URL`)?.value;
        if (url !== `http://${service}:${port}/graphql`) problems.push(`gateway: ${service.toUpperCase()}_URL is ${url}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('scales the gateway and every subgraph with a HorizontalPodAutoscaler, and leaves their replica count to it', () => {
    const problems: string[] = [];
    const autoscalers = ofKind(manifests, 'HorizontalPodAutoscaler');
    for (const service of SERVICES.keys()) {
      const hpa = autoscalers.find((h) => (h.spec?.['scaleTargetRef'] as { kind: string; name: string }).name === service);
      const spec = hpa?.spec as { scaleTargetRef: { kind: string }; minReplicas?: number; maxReplicas: number; metrics?: unknown[] } | undefined;
      if (!spec) {
        problems.push(`${service}: no HorizontalPodAutoscaler`);
        continue;
      }
      if (spec.scaleTargetRef.kind !== 'Deployment') problems.push(`${service}: HPA does not target a Deployment`);
      const min = spec.minReplicas ?? 1;
      if (min < (production ? 2 : 1) || spec.maxReplicas <= min) problems.push(`${service}: HPA range ${min}..${spec.maxReplicas}`);
      if (!spec.metrics?.length) problems.push(`${service}: HPA without metrics`);
      if (deployment(service)?.replicas !== undefined) problems.push(`${service}: Deployment sets replicas although an HPA owns them`);
    }
    for (const hpa of autoscalers) {
      const target = (hpa.spec?.['scaleTargetRef'] as { name: string }).name;
      if (!SERVICES.has(target)) problems.push(`HPA ${hpa.metadata.name} scales ${target}, which is not an API Deployment`);
    }
    expect(problems).toEqual([]);
  });

  it('protects every Deployment and StatefulSet with a PodDisruptionBudget that still lets one pod go', () => {
    const problems: string[] = [];
    const budgets = ofKind(manifests, 'PodDisruptionBudget');
    for (const w of all.filter((x) => x.kind === 'Deployment' || x.kind === 'StatefulSet')) {
      const budget = budgets.find((b) => matchesSelector(b.spec?.['selector'] as LabelSelector, w.podLabels));
      if (!budget) problems.push(`${w.kind}/${w.name}: no PodDisruptionBudget`);
      else if (!(Number(budget.spec?.['maxUnavailable']) >= 1 || budget.spec?.['minAvailable'] !== undefined)) problems.push(`${w.name}: PodDisruptionBudget allows no disruption`);
    }
    expect(problems).toEqual([]);
  });

  it('runs each projection in its own projector Deployment: two replicas (one active by lease, one warm standby), no traffic, no autoscaling', () => {
    const problems: string[] = [];
    const withProjections = all.filter((w) => w.kind === 'Deployment' && envOf(app(w), 'PROJECTIONS_ENABLED')?.value === 'true').map((w) => w.name);
    expect(withProjections.sort()).toEqual(Object.keys(PROJECTORS).sort());
    for (const [name, service] of Object.entries(PROJECTORS)) {
      const w = deployment(name);
      if (!w) {
        problems.push(`no Deployment ${name}`);
        continue;
      }
      if (w.replicas !== 2) problems.push(`${name}: replicas ${w.replicas}, not 2`);
      if (koppelstukService(app(w).image) !== service) problems.push(`${name}: runs ${app(w).image}, not the ${service} image`);
      if (w.podLabels['app.kubernetes.io/component'] !== 'projector') problems.push(`${name}: not labelled as a projector`);
      const strategy = w.manifest.spec?.['strategy'] as { rollingUpdate?: { maxSurge?: number } } | undefined;
      if (strategy?.rollingUpdate?.maxSurge !== 0) problems.push(`${name}: a rollout may run a third instance`);
      for (const svc of ofKind(manifests, 'Service')) {
        if (matchesSelector({ matchLabels: svc.spec?.['selector'] as Record<string, string> }, w.podLabels)) problems.push(`${name}: selected by Service ${svc.metadata.name}`);
      }
    }
    for (const service of SUBGRAPHS) {
      const w = deployment(service);
      if (w && envOf(app(w), 'PROJECTIONS_ENABLED')?.value !== 'false') problems.push(`${service}: API replicas do not set PROJECTIONS_ENABLED=false`);
    }
    expect(problems).toEqual([]);
  });

  it('keeps PostgreSQL in a CloudNativePG Cluster whose application secret is every store client\'s DATABASE_URL', () => {
    const clusters = manifests.filter((m) => m.kind === 'Cluster' && m.apiVersion === 'postgresql.cnpg.io/v1');
    expect(clusters).toHaveLength(1);
    const cluster = clusters[0] as Manifest;
    const spec = cluster.spec as { instances: number; bootstrap?: { initdb?: { database: string; owner: string } }; plugins?: { name: string; isWALArchiver?: boolean }[]; backup?: { barmanObjectStore?: unknown } };
    expect(spec.bootstrap?.initdb?.database).toBeTruthy();
    const problems: string[] = [];
    for (const w of storeClients()) {
      for (const c of w.pod.containers) {
        const ref = envOf(c, 'DATABASE_URL')?.valueFrom?.secretKeyRef;
        if (ref?.name !== `${cluster.metadata.name}-app` || ref.key !== 'uri') problems.push(`${w.name}: DATABASE_URL is not ${cluster.metadata.name}-app/uri`);
      }
    }
    if (production) {
      if (spec.instances < 3) problems.push(`production PostgreSQL has ${spec.instances} instance(s)`);
      if (!spec.plugins?.some((p) => p.isWALArchiver) && !spec.backup?.barmanObjectStore) problems.push('production PostgreSQL has no continuous backup');
      const scheduled = manifests.filter((m) => m.kind === 'ScheduledBackup' && (m.spec?.['cluster'] as { name: string }).name === cluster.metadata.name);
      if (scheduled.length === 0) problems.push('production PostgreSQL has no ScheduledBackup');
      for (const store of ofKind(manifests, 'ObjectStore')) {
        const credentials = Object.values((store.spec?.['configuration'] as { s3Credentials?: Record<string, unknown> }).s3Credentials ?? {});
        const byReference = (value: unknown) => typeof value === 'object' && value !== null && Object.keys(value).sort().join() === 'key,name';
        if (credentials.length === 0 || !credentials.every(byReference)) problems.push(`ObjectStore/${store.metadata.name}: credentials not by secret reference`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('gives the store clients — and only them — their keys: the master key file (subgraphs, projectors), the audit signing key (audit)', () => {
    const problems: string[] = [];
    const clients = storeClients().map((w) => w.name).sort();
    const expected = [...SUBGRAPHS, ...Object.keys(PROJECTORS)].sort();
    expect(clients.filter((name) => all.find((w) => w.name === name)?.kind === 'Deployment')).toEqual(expected);
    for (const name of expected) {
      const w = deployment(name);
      if (!w) continue;
      const c = app(w);
      if (secretVolumeFor(w, c, envOf(c, 'KOPPELSTUK_MASTER_KEY_FILE')?.value ?? '') !== 'koppelstuk-master-key') problems.push(`${name}: master key not mounted from koppelstuk-master-key`);
      const audit = w.podLabels['koppelstuk.nl/service'] === 'audit';
      const signing = secretVolumeFor(w, c, envOf(c, 'KOPPELSTUK_AUDIT_SIGNING_KEY_FILE')?.value ?? '');
      if (audit && signing !== 'koppelstuk-audit-signing-key') problems.push(`${name}: audit signing key not mounted`);
      if (!audit && signing) problems.push(`${name}: has the audit signing key`);
    }
    const gateway = deployment('gateway');
    if (gateway) {
      const secrets = (gateway.pod.volumes ?? []).filter((v) => v.secret && v.secret.secretName !== 'koppelstuk-dev-issuer');
      if (secrets.length > 0 || envOf(app(gateway), 'DATABASE_URL')) problems.push('gateway: holds database credentials or keys');
    }
    expect(problems).toEqual([]);
  });

  it('switches the store clients to KurrentDB when EVENT_STORE=kurrentdb, with a KurrentDB StatefulSet behind a headless Service', () => {
    const problems: string[] = [];
    const kurrent = all.find((w) => w.kind === 'StatefulSet' && w.name === 'kurrentdb');
    for (const w of storeClients()) {
      for (const c of w.pod.containers) {
        if (effectiveEnv(c, manifests, 'EVENT_STORE') !== 'kurrentdb') continue;
        if (!envOf(c, 'KURRENTDB_CONNECTION_STRING')?.valueFrom?.secretKeyRef) problems.push(`${w.name}: EVENT_STORE=kurrentdb without KURRENTDB_CONNECTION_STRING from a Secret`);
        if (!kurrent) problems.push(`${w.name}: EVENT_STORE=kurrentdb but no KurrentDB StatefulSet`);
      }
    }
    if (kurrent) {
      const c = kurrent.pod.containers[0] as Container;
      const headless = named(manifests, 'Service', String(kurrent.manifest.spec?.['serviceName']));
      if (headless.spec?.['clusterIP'] !== 'None' || headless.spec?.['publishNotReadyAddresses'] !== true) problems.push('kurrentdb: its serviceName is not a headless Service publishing unready peers');
      if (String(kurrent.replicas) !== envOf(c, 'KURRENTDB_CLUSTER_SIZE')?.value) problems.push('kurrentdb: replicas differ from KURRENTDB_CLUSTER_SIZE');
      if (!(kurrent.manifest.spec?.['volumeClaimTemplates'] as unknown[] | undefined)?.length) problems.push('kurrentdb: no persistent volume');
      if (production) {
        if (kurrent.replicas !== 3) problems.push('production KurrentDB is not a three-node cluster');
        if (envOf(c, 'KURRENTDB_INSECURE')?.value === 'true') problems.push('production KurrentDB runs insecure');
        if (!secretVolumeFor(kurrent, c, envOf(c, 'KURRENTDB_CERTIFICATE_FILE')?.value ?? '')) problems.push('production KurrentDB has no certificate from a Secret');
        if (!envOf(c, 'KURRENTDB_DEFAULT_ADMIN_PASSWORD')?.valueFrom?.secretKeyRef) problems.push('production KurrentDB keeps the default admin password');
      }
      // With TLS, every store client can verify the nodes' certificate: the CA from the same Secret is mounted.
      const tls = secretVolumeFor(kurrent, c, envOf(c, 'KURRENTDB_CERTIFICATE_FILE')?.value ?? '');
      for (const w of tls ? storeClients() : []) {
        if (!w.pod.volumes?.some((v) => v.secret?.secretName === tls && v.secret.items?.some((item) => item.key === 'ca.crt'))) problems.push(`${w.name}: cannot verify KurrentDB's certificate`);
      }
    }
    expect(problems).toEqual([]);
  });

  it(production ? 'trusts only the configured OIDC provider' : 'trusts an OIDC provider or the mounted development issuer', () => {
    const problems: string[] = [];
    for (const service of SERVICES.keys()) {
      const w = deployment(service);
      if (!w) continue;
      const c = app(w);
      const issuer = effectiveEnv(c, manifests, 'OIDC_ISSUER');
      if (issuer) {
        if (!/^https:\/\//.test(effectiveEnv(c, manifests, 'OIDC_JWKS_URL') ?? '')) problems.push(`${service}: OIDC_JWKS_URL is not https`);
        if (!effectiveEnv(c, manifests, 'OIDC_AUDIENCE')) problems.push(`${service}: no OIDC_AUDIENCE`);
      } else if (production) {
        problems.push(`${service}: no OIDC_ISSUER in production`);
      } else {
        const dataDir = effectiveEnv(c, manifests, 'KOPPELSTUK_DATA_DIR') ?? '';
        if (!secretVolumeFor(w, c, `${dataDir}/dev-issuer/private.jwk.json`)) problems.push(`${service}: neither OIDC nor a mounted development issuer`);
      }
    }
    // NODE_ENV=development turns on the portal's development sign-in (anyone may sign in as anyone): never
    // where the gateway is exposed, never in production.
    const exposed = ofKind(manifests, 'Ingress').length > 0 || production;
    for (const w of all) {
      for (const c of w.pod.containers.filter((x) => koppelstukService(x.image))) {
        const mode = effectiveEnv(c, manifests, 'NODE_ENV');
        if (exposed && mode !== 'production') problems.push(`${w.name}: NODE_ENV=${mode} where the gateway is exposed`);
      }
    }
    expect(problems).toEqual([]);
  });

  describe('network policies', () => {
    let policies: NetworkPolicies;
    let pods: Pod[];
    const pod = (name: string): Pod => {
      const found = pods.find((p) => p.name === name);
      if (!found) throw new Error(`no pod ${name}`);
      return found;
    };
    const sources = (name: string) => [...policies.ingressTo(pod(name)).pods.keys()].sort();

    beforeAll(() => {
      // CloudNativePG's instance pods are not in the manifests: they carry the label cnpg.io/cluster.
      const clusters = ofKind(manifests, 'Cluster').map((c) => ({ name: 'postgres', labels: { 'cnpg.io/cluster': c.metadata.name, 'cnpg.io/podRole': 'instance' } }));
      pods = [...all.map((w) => ({ name: w.name, labels: w.podLabels })), ...clusters];
      policies = new NetworkPolicies(manifests, pods, { 'kubernetes.io/metadata.name': namespace });
    });

    it('denies everything by default, in both directions, for every pod', () => {
      const denyAll = policies.names().find((name) => {
        const spec = policies.spec(name);
        return spec && Object.keys(spec.podSelector).length === 0 && spec.policyTypes?.includes('Ingress') && spec.policyTypes.includes('Egress') && !spec.ingress && !spec.egress;
      });
      expect(denyAll).toBeDefined();
      const open = pods.filter((p) => !policies.ingressTo(p).isolated || !policies.egressFrom(p).isolated).map((p) => p.name);
      expect(open).toEqual([]);
    });

    it('lets traffic from outside the namespace reach the gateway only (and the database operator reach PostgreSQL)', () => {
      const reachable = pods.filter((p) => policies.ingressTo(p).external.length > 0).map((p) => p.name).sort();
      expect(reachable).toEqual(ofKind(manifests, 'Cluster').length ? ['gateway', 'postgres'] : ['gateway']);
      expect(policies.ingressTo(pod('gateway')).external.every((peer) => peer.namespaceSelector && !peer.ipBlock)).toBe(true);
      expect(sources('gateway')).toEqual([]);
    });

    it('lets only the gateway reach the subgraphs, on their http port', () => {
      for (const service of SUBGRAPHS) {
        expect({ service, sources: sources(service) }).toEqual({ service, sources: ['gateway'] });
        expect([...(policies.ingressTo(pod(service)).pods.get('gateway') ?? [])]).toEqual(['http']);
        expect(policies.allows(pod('gateway'), pod(service))).toBe(true);
        const egress = policies.egressFrom(pod('gateway')).pods.get(service) ?? new Set<string>();
        expect({ service, port: SERVICES.get(service), allowed: portAllowed(egress, SERVICES.get(service) ?? 0, 'http') }).toEqual({ service, port: SERVICES.get(service), allowed: true });
        for (const other of pods.filter((p) => p.name !== 'gateway')) expect({ from: other.name, to: service, allowed: policies.allows(other, pod(service)) }).toEqual({ from: other.name, to: service, allowed: false });
      }
    });

    it('lets nothing reach the projectors', () => {
      for (const name of Object.keys(PROJECTORS)) {
        expect({ name, sources: sources(name), external: policies.ingressTo(pod(name)).external }).toEqual({ name, sources: [], external: [] });
      }
    });

    it('lets only the services (subgraphs, projectors, jobs) reach PostgreSQL and KurrentDB — never the gateway', () => {
      const clients = storeClients().map((w) => w.name).sort();
      expect(clients).not.toContain('gateway');
      const databases: [string, string][] = [['postgres', '5432']];
      if (pods.some((p) => p.name === 'kurrentdb')) databases.push(['kurrentdb', '2113']);
      for (const [database, port] of databases) {
        const ingress = policies.ingressTo(pod(database));
        const strangers = [...ingress.pods.keys()].filter((name) => name !== database && !clients.includes(name));
        expect({ database, strangers }).toEqual({ database, strangers: [] });
        for (const client of clients) {
          expect({ client, database, allowed: policies.allows(pod(client), pod(database)) }).toEqual({ client, database, allowed: true });
          expect({ client, database, ports: [...(ingress.pods.get(client) ?? [])] }).toEqual({ client, database, ports: [port] });
        }
        expect(policies.allows(pod('gateway'), pod(database))).toBe(false);
      }
    });
  });

  /** The secret volume (by secret name) that a file path of this container lies on, if any. */
  function secretVolumeFor(w: Workload, c: Container, path: string): string | null {
    if (!path.startsWith('/')) return null;
    for (const mount of c.volumeMounts ?? []) {
      if (path !== mount.mountPath && !path.startsWith(`${mount.mountPath.replace(/\/$/, '')}/`)) continue;
      const volume = w.pod.volumes?.find((v) => v.name === mount.name);
      const secret = volume?.secret?.secretName ?? volume?.projected?.sources.find((s) => s.secret)?.secret?.name;
      if (!secret) continue;
      const file = path.slice(mount.mountPath.replace(/\/$/, '').length + 1);
      if (!volume?.secret?.items || volume.secret.items.some((item) => item.path === file)) return secret;
    }
    return null;
  }

});
