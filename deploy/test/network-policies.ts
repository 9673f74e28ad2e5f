import { matchesSelector, type LabelSelector, type Manifest } from './support';

/**
 * Just enough of the NetworkPolicy semantics (networking.k8s.io/v1) to answer "who may talk to whom" for the
 * pods of one namespace: a pod selected by a policy of a direction is isolated in that direction and then only
 * what some rule of such a policy allows gets through; peers are pods of this namespace (podSelector, or a
 * namespaceSelector that matches this namespace) or "external" (other namespaces, IP blocks).
 */
export interface Pod {
  readonly name: string;
  readonly labels: Record<string, string>;
}

interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

interface Rule {
  from?: Peer[];
  to?: Peer[];
  ports?: { protocol?: string; port?: number | string; endPort?: number }[];
}

interface PolicySpec {
  podSelector: LabelSelector;
  policyTypes?: ('Ingress' | 'Egress')[];
  ingress?: Rule[];
  egress?: Rule[];
}

export interface Reach {
  /** Some policy of this direction selects the pod. */
  readonly isolated: boolean;
  /** Pods of the namespace allowed, with the ports allowed for each ('*' = any port). */
  readonly pods: Map<string, Set<string>>;
  /** Peers outside the namespace (namespaceSelector for other namespaces, ipBlock), as written. */
  readonly external: Peer[];
}

export class NetworkPolicies {
  private readonly policies: { name: string; spec: PolicySpec }[];

  constructor(
    manifests: readonly Manifest[],
    private readonly pods: readonly Pod[],
    private readonly namespaceLabels: Record<string, string>,
  ) {
    this.policies = manifests
      .filter((m) => m.kind === 'NetworkPolicy')
      .map((m) => ({ name: m.metadata.name, spec: m.spec as unknown as PolicySpec }));
  }

  names(): string[] {
    return this.policies.map((p) => p.name);
  }

  spec(name: string): PolicySpec | undefined {
    return this.policies.find((p) => p.name === name)?.spec;
  }

  ingressTo(pod: Pod): Reach {
    return this.reach(pod, 'Ingress');
  }

  egressFrom(pod: Pod): Reach {
    return this.reach(pod, 'Egress');
  }

  /** Whether traffic from one pod of the namespace to another is allowed by both sides. */
  allows(from: Pod, to: Pod): boolean {
    const egress = this.egressFrom(from);
    const ingress = this.ingressTo(to);
    return (!egress.isolated || egress.pods.has(to.name)) && (!ingress.isolated || ingress.pods.has(from.name));
  }

  private reach(pod: Pod, direction: 'Ingress' | 'Egress'): Reach {
    const pods = new Map<string, Set<string>>();
    const external: Peer[] = [];
    let isolated = false;
    for (const { spec } of this.policies) {
      const types = spec.policyTypes ?? (spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);
      if (!types.includes(direction) || !selects(spec.podSelector, pod.labels)) continue;
      isolated = true;
      for (const rule of (direction === 'Ingress' ? spec.ingress : spec.egress) ?? []) {
        const ports = rule.ports?.length ? rule.ports.map((p) => (p.endPort ? `${p.port}-${p.endPort}` : String(p.port ?? '*'))) : ['*'];
        const peers = direction === 'Ingress' ? rule.from : rule.to;
        // A rule without peers allows everyone, in the namespace and outside it.
        const everyone = !peers || peers.length === 0;
        for (const candidate of this.pods) {
          if (everyone || peers.some((peer) => this.peerIncludes(peer, candidate))) {
            const allowed = pods.get(candidate.name) ?? new Set<string>();
            ports.forEach((port) => allowed.add(port));
            pods.set(candidate.name, allowed);
          }
        }
        if (everyone) external.push({ ipBlock: { cidr: '0.0.0.0/0' } });
        else external.push(...peers.filter((peer) => peer.ipBlock || (peer.namespaceSelector && !selects(peer.namespaceSelector, this.namespaceLabels))));
      }
    }
    return { isolated, pods, external };
  }

  private peerIncludes(peer: Peer, pod: Pod): boolean {
    if (peer.ipBlock) return false; // pod IPs are not modelled: no policy here relies on them
    if (peer.namespaceSelector && !selects(peer.namespaceSelector, this.namespaceLabels)) return false;
    return peer.podSelector ? selects(peer.podSelector, pod.labels) : true;
  }
}

/** Whether allowed ports ('*', a name, a number, or 'from-to') admit a container port (by number and name). */
export function portAllowed(allowed: Iterable<string>, port: number, name?: string): boolean {
  for (const entry of allowed) {
    if (entry === '*' || entry === String(port) || (name !== undefined && entry === name)) return true;
    const range = /^(\d+)-(\d+)$/.exec(entry);
    if (range && Number(range[1]) <= port && port <= Number(range[2])) return true;
  }
  return false;
}

/** `{}` selects everything; otherwise the usual label-selector rules. */
function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
  const empty = Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
  return empty || matchesSelector(selector, labels);
}
