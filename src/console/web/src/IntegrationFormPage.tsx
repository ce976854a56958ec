import { useEffect, useState } from 'react';
import {
  Button,
  FieldError,
  Form,
  Input,
  Label,
  Radio,
  RadioGroup,
  Tab,
  TabList,
  TabPanel,
  Tabs,
  Text,
  TextField,
} from 'react-aria-components';
import { errorsByField, request, TopLevelError } from './api.ts';
import {
  AclTreeQuery,
  IntegrationCreate,
  IntegrationQuery,
  IntegrationUpdate,
} from './documents.ts';
import { type AclNode, expandGrants, grantsOf, ResourceTree } from './ResourceTree.tsx';
import { activateNext, href, navigateWithMessage } from './routes.ts';
import { describeError, Notice, PasswordField } from './ui.tsx';

interface Values {
  name: string;
  email: string;
  callbackUrl: string;
  identityLinkUrl: string;
  resourceAccess: 'ALL' | 'CUSTOM';
}

const EMPTY: Values = {
  name: '',
  email: '',
  callbackUrl: '',
  identityLinkUrl: '',
  resourceAccess: 'CUSTOM',
};
const INFO_FIELDS = ['name', 'email', 'callbackUrl', 'identityLinkUrl', 'currentPassword'];

function Field(props: {
  name: keyof Values;
  label: string;
  values: Values;
  set(values: Values): void;
  errors: Record<string, string>;
  description?: string;
  type?: string;
  isRequired?: boolean;
  isDisabled: boolean;
}) {
  return (
    <TextField
      className="field"
      name={props.name}
      type={props.type ?? 'text'}
      value={props.values[props.name]}
      onChange={(value) => props.set({ ...props.values, [props.name]: value })}
      isInvalid={!!props.errors[props.name]}
      isRequired={props.isRequired ?? false}
      isDisabled={props.isDisabled}
    >
      <Label>{props.label}</Label>
      <Input />
      {props.description ? <Text slot="description">{props.description}</Text> : null}
      <FieldError>{props.errors[props.name]}</FieldError>
    </TextField>
  );
}

/** New Integration and Edit "<name>" Integration: the Integration Info and API tabs. */
export default function IntegrationFormPage(props: { id?: string }) {
  const [values, setValues] = useState<Values>(EMPTY);
  const [tree, setTree] = useState<readonly AclNode[]>();
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [tab, setTab] = useState<string>('info');
  const [loadedName, setLoadedName] = useState<string>();
  const [readOnly, setReadOnly] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const load = async () => {
      const [{ aclResourcesFlat }, existing] = await Promise.all([
        request(AclTreeQuery, {}),
        props.id ? request(IntegrationQuery, { id: props.id }) : Promise.resolve(null),
      ]);
      setTree(aclResourcesFlat);
      const integration = existing?.integration;
      if (props.id && !integration) {
        setError('This integration no longer exists.');
        return;
      }
      if (integration) {
        setValues({
          name: integration.name,
          email: integration.email ?? '',
          callbackUrl: integration.callbackUrl ?? '',
          identityLinkUrl: integration.identityLinkUrl ?? '',
          resourceAccess: integration.resourceAccess,
        });
        setChecked(expandGrants(aclResourcesFlat, integration.resources));
        setLoadedName(integration.name);
        setReadOnly(integration.setupType === 'CONFIG');
      }
    };
    load().catch((caught) => setError(describeError(caught)));
  }, [props.id]);

  const save = async (andActivate: boolean) => {
    if (!tree || readOnly) return;
    setBusy(true);
    setErrors({});
    setError(undefined);
    const resources = values.resourceAccess === 'CUSTOM' ? grantsOf(tree, checked) : undefined;
    try {
      const payload = props.id
        ? (
            await request(IntegrationUpdate, {
              id: props.id,
              input: { ...values, resources, currentPassword: password },
            })
          ).integrationUpdate
        : (
            await request(IntegrationCreate, {
              input: {
                name: values.name,
                resourceAccess: values.resourceAccess,
                resources,
                currentPassword: password,
                ...(values.email ? { email: values.email } : {}),
                ...(values.callbackUrl ? { callbackUrl: values.callbackUrl } : {}),
                ...(values.identityLinkUrl ? { identityLinkUrl: values.identityLinkUrl } : {}),
              },
            })
          ).integrationCreate;
      if (payload.integration) {
        if (andActivate) activateNext(payload.integration.id);
        navigateWithMessage(
          href.integrations,
          `The integration '${payload.integration.name}' has been saved.`,
        );
        return;
      }
      const byField = errorsByField(payload.errors);
      setErrors(byField);
      const keys = Object.keys(byField);
      if (keys.some((key) => key === 'resources' || key === 'resourceAccess')) setTab('api');
      if (keys.some((key) => INFO_FIELDS.includes(key))) setTab('info');
      setError('The integration was not saved. Correct the fields marked below.');
    } catch (caught) {
      if (caught instanceof TopLevelError && caught.code === 'REAUTHENTICATION_FAILED') {
        setErrors({ currentPassword: describeError(caught) });
        setTab('info');
      } else setError(describeError(caught));
    } finally {
      setPassword('');
      setBusy(false);
    }
  };

  const title = !props.id
    ? 'New Integration'
    : readOnly
      ? `View "${loadedName ?? ''}" Integration`
      : `Edit "${loadedName ?? ''}" Integration`;
  const common = { values, set: setValues, errors, isDisabled: readOnly };

  return (
    <section aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title">{title}</h1>
        <a className="button" href={href.integrations}>
          Back
        </a>
      </div>
      {readOnly ? (
        <Notice tone="info">
          This integration is declared in configuration (INTEGRATIONS_CONFIG), so it cannot be
          edited or deleted here: change the declaration file and run npm run integrations:sync.
        </Notice>
      ) : null}
      {error ? <Notice tone="error">{error}</Notice> : null}
      {errors[''] ? <Notice tone="error">{errors['']}</Notice> : null}
      <Form
        onSubmit={(event) => {
          event.preventDefault();
          void save(false);
        }}
        className="integration-form"
        validationBehavior="aria"
      >
        <Tabs selectedKey={tab} onSelectionChange={(key) => setTab(String(key))}>
          <TabList aria-label="Integration" className="tabs">
            <Tab id="info" className="tab">
              Integration Info
            </Tab>
            <Tab id="api" className="tab">
              API
            </Tab>
          </TabList>
          <TabPanel id="info" className="tab-panel" shouldForceMount>
            <fieldset>
              <legend>General</legend>
              <Field name="name" label="Name" isRequired {...common} />
              <Field name="email" label="Email" type="email" {...common} />
              <Field
                name="callbackUrl"
                label="Callback URL"
                type="url"
                description="Where OAuth credentials are sent for the token exchange. We strongly recommend https://."
                {...common}
              />
              <Field
                name="identityLinkUrl"
                label="Identity Link URL"
                type="url"
                description="Where the admin is sent to link their third-party account with this integration's credentials."
                {...common}
              />
            </fieldset>
            {readOnly ? null : (
              <fieldset>
                <legend>Current User Identity Verification</legend>
                <PasswordField
                  value={password}
                  onChange={setPassword}
                  error={errors.currentPassword}
                />
              </fieldset>
            )}
          </TabPanel>
          <TabPanel id="api" className="tab-panel" shouldForceMount>
            <RadioGroup
              className="field"
              value={values.resourceAccess}
              onChange={(value) =>
                setValues({ ...values, resourceAccess: value as Values['resourceAccess'] })
              }
              isDisabled={readOnly}
              isInvalid={!!errors.resourceAccess}
              orientation="horizontal"
            >
              <Label>Resource Access</Label>
              <div className="radios">
                <Radio value="ALL" className="radio">
                  All
                </Radio>
                <Radio value="CUSTOM" className="radio">
                  Custom
                </Radio>
              </div>
              <FieldError>{errors.resourceAccess}</FieldError>
            </RadioGroup>
            {errors.resources ? <Notice tone="error">{errors.resources}</Notice> : null}
            {values.resourceAccess === 'CUSTOM' && tree ? (
              <ResourceTree
                flat={tree}
                checked={checked}
                onChange={setChecked}
                isDisabled={readOnly}
              />
            ) : null}
          </TabPanel>
        </Tabs>
        {readOnly ? null : (
          <div className="actions">
            {props.id ? null : (
              <Button className="button" isDisabled={busy || !tree} onPress={() => save(true)}>
                Save &amp; Activate
              </Button>
            )}
            <Button type="submit" className="button primary" isDisabled={busy || !tree}>
              Save
            </Button>
          </div>
        )}
      </Form>
    </section>
  );
}
