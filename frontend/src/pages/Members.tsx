import { useState, type FormEvent } from 'react';
import { useChangeRole, useInviteMember, useMe, useMembers, useRemoveMember } from '../api/hooks';
import { DataTable, type Column } from '../components/DataTable';
import { Panel } from '../components/Panel';
import { ErrorMessage } from '../components/ErrorMessage';
import type { Member, Role } from '../api/types';

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
  const canEdit = (m: Member) => manages && (myRole === 'owner' || m.role !== 'owner');
  const mutationError = invite.error ?? changeRole.error ?? remove.error;
  const selfId = me.data?.user.id;
  const columns: Column<Member>[] = [
    {
      id: 'email',
      header: 'Email',
      cell: (m) => (
        <>
          {m.email} {m.id === selfId && <span className="badge">you</span>}
        </>
      ),
      sortValue: (m) => m.email,
    },
    {
      id: 'role',
      header: 'Role',
      cell: (m) =>
        canEdit(m) ? (
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
        ),
      sortValue: (m) => ROLES.indexOf(m.role),
    },
    {
      id: 'actions',
      header: <span className="visually-hidden">Actions</span>,
      cell: (m) =>
        (canEdit(m) || m.id === selfId) && (
          <button type="button" className="danger" onClick={() => remove.mutate(m.id)} disabled={remove.isPending}>
            {m.id === selfId ? 'Leave' : 'Remove'}
          </button>
        ),
    },
  ];

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
        <div className="callout danger" role="alert" data-testid="members-error">
          <ErrorMessage error={mutationError} />
        </div>
      )}
      <Panel id="members" title="Members" loading={members.isPending} error={members.error} onRetry={() => members.refetch()} ready={!!members.data}>
        <DataTable testId="members-table" columns={columns} rows={members.data ?? []} rowKey={(m) => m.id} />
      </Panel>
    </div>
  );
}
