import { GraphQLError } from 'graphql';

/**
 * The deciders name fields as the domain does (`personal.contactName`, `text`); clients wrote the
 * GraphQL input (`contact.name`, `explanation`). Errors are answered in the client's terms.
 */
const INPUT_FIELDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  MakeReferral: {
    'personal.contactName': 'contact.name',
    'personal.contactEmail': 'contact.email',
    'personal.contactPhone': 'contact.phone',
    'personal.needDescription': 'needDescription',
    'consent.partnerId': 'partnerId',
    givenBy: 'consent.givenBy',
    givenAt: 'consent.givenAt',
    expiresAt: 'consent.expiresAt',
    purpose: 'consent.purpose',
  },
  DeclineReferral: { text: 'explanation' },
  ForwardReferral: {
    partnerId: 'toPartnerId',
    serviceId: 'toServiceId',
    // There is no consent input here: "consent" means the entrepreneur's consent for the new partner.
    'consent.partnerId': 'consent',
    'consent.expiresAt': 'consent',
  },
  RecordOutcome: { text: 'note' },
};

export async function inInputTerms<T>(commandType: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const field = error instanceof GraphQLError ? error.extensions['field'] : undefined;
    const renamed = typeof field === 'string' ? INPUT_FIELDS[commandType]?.[field] : undefined;
    if (!renamed || !(error instanceof GraphQLError)) throw error;
    throw new GraphQLError(error.message, { extensions: { ...error.extensions, field: renamed } });
  }
}
