import { useState, type FormEvent } from 'react';
import { useChangeRole, useInviteMember, useMe, useMembers, useRemoveMember } from '../api/hooks';
import { Panel, errorText } from '../components/Panel';
import type { Role } from '../api/types';

const ROLES: Role[] = ['owner', 'admin', 'member', 'viewer'];

export default function Members() {
  const me = useMe();
  const members = useMembers();
  const invite = useInviteMember();
  const changeRole = useChangeRole();
  const remove = useRemoveMember();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const myRole = me.data?.role;
  const manages = myRole === 'owner' || myRole === 'admin';
  const grantable = ROLES.filter((r) => myRole === 'owner' || r !== 'owner');
  const mutationError = invite.error ?? changeRole.error ?? remove.error;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    invite.mutate({ email: email.trim(), role }, { onSuccess: () => setEmail('') });
  };

  return (
    <div className="stack">
      <div className="page-head">
        <div>
          <h1>Members</h1>
          <p>
            Who can see and change <strong>{me.data?.workspace?.name}</strong>. Owners and admins manage members; viewers only read.
          </p>
        </div>
      </div>
      {manages && (
        <form className="panel stack" onSubmit={submit} aria-labelledby="invite-title">
          <h2 id="invite-title">Invite someone</h2>
          <div className="form-grid">
            <label>
              Email
              <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
            </label>
            <label>
              Role
              <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
                {grantable.map((r) => (
                  <option key={r}>{r}</option>
                ))}
              </select>
            </label>
            <div>
              <button type="submit" className="primary" disabled={!email.trim() || invite.isPending}>
                Invite
              </button>
            </div>
          </div>
          <p className="small muted">They get an email and sign in with a magic link, like everyone else.</p>
        </form>
      )}
      {mutationError && (
        <div className="callout danger" role="alert">
          {errorText(mutationError)}
        </div>
      )}
      <Panel id="members" title="Members" loading={members.isPending} error={members.error} onRetry={() => members.refetch()} ready={!!members.data}>
        <div className="table-wrap">
          <table data-testid="members-table">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {(members.data ?? []).map((m) => {
                const self = m.id === me.data?.user.id;
                const canEdit = manages && (myRole === 'owner' || m.role !== 'owner');
                return (
                  <tr key={m.id}>
                    <td>
                      {m.email} {self && <span className="badge">you</span>}
                    </td>
                    <td>
                      {canEdit ? (
                        <select
                          aria-label={`Role of ${m.email}`}
                          value={m.role}
                          onChange={(e) => changeRole.mutate({ id: m.id, role: e.target.value as Role })}
                          disabled={changeRole.isPending}
                        >
                          {grantable.concat(grantable.includes(m.role) ? [] : [m.role]).map((r) => (
                            <option key={r}>{r}</option>
                          ))}
                        </select>
                      ) : (
                        m.role
                      )}
                    </td>
                    <td>
                      {(canEdit || self) && (
                        <button type="button" className="danger" onClick={() => remove.mutate(m.id)} disabled={remove.isPending}>
                          {self ? 'Leave' : 'Remove'}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </Panel>
    </div>
  );
}
