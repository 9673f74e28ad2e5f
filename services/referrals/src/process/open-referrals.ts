import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OpenReferralRow } from './process-tables';

/** Other open referrals for the same company in the same city: the duplicate warning of makeReferral. */
@Injectable()
export class OpenReferrals {
  constructor(private readonly dataSource: DataSource) {}

  async sameCompany(cityId: string, kvkNumber: string, exceptReferralId: string): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(OpenReferralRow)
      .createQueryBuilder('r')
      .select('r.referralId', 'referralId')
      .where('r.cityId = :cityId and r.kvkNumber = :kvkNumber and r.referralId <> :exceptReferralId', { cityId, kvkNumber, exceptReferralId })
      .orderBy('r.slaDueAt')
      .getRawMany<{ referralId: string }>();
    return rows.map((row) => row.referralId);
  }
}
