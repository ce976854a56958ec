/** One node of the ACL resource tree shown in the integration form's "Custom" checkbox tree. */
export interface AclResourceNode {
  readonly id: string;
  readonly title: string;
  readonly sortOrder: number;
  readonly children: readonly AclResourceNode[];
}

// "Resource Access: All" (the reference's Magento_Backend::all, a sibling of this root) is the
// integration's resourceAccess ALL, not a node of the tree.
const node = (
  id: string,
  title: string,
  sortOrder: number,
  children: AclResourceNode[] = [],
): AclResourceNode => ({ id, title, sortOrder, children });

/** The root whose children the admin picks from; always implicitly granted with any custom selection. */
export const ACL_ADMIN_ROOT: AclResourceNode = {
  id: 'Magento_Backend::admin',
  title: 'Magento Admin',
  sortOrder: 20,
  children: [
    node('Magento_Backend::dashboard', 'Dashboard', 10),
    node('Magento_Sales::sales', 'Sales', 20, [
      node('Magento_Sales::sales_operation', 'Operations', 10, [
        node('Magento_Sales::sales_order', 'Orders', 10, [
          node('Magento_Sales::actions', 'Actions', 10, [
            node('Magento_Sales::create', 'Create', 10),
            node('Magento_Sales::actions_view', 'View', 20),
            node('Magento_Sales::email', 'Send Order Email', 30),
            node('Magento_Sales::reorder', 'Reorder', 40),
            node('Magento_Sales::actions_edit', 'Edit', 50),
            node('Magento_Sales::cancel', 'Cancel', 60),
            node('Magento_Sales::review_payment', 'Accept or Deny Payment', 70),
            node('Magento_Sales::capture', 'Capture', 80),
            node('Magento_Sales::invoice', 'Invoice', 90),
            node('Magento_Sales::creditmemo', 'Credit Memos', 100),
            node('Magento_Sales::hold', 'Hold', 110),
            node('Magento_Sales::unhold', 'Unhold', 120),
            node('Magento_Sales::ship', 'Ship', 130),
            node('Magento_Sales::comment', 'Comment', 140),
            node('Magento_Sales::emails', 'Send Sales Emails', 150),
          ]),
        ]),
        node('Magento_Sales::sales_invoice', 'Invoices', 20),
        node('Magento_Sales::shipment', 'Shipments', 30),
        node('Magento_Sales::sales_creditmemo', 'Credit Memos', 40),
        node('Magento_Sales::transactions', 'Transactions', 50, [
          node('Magento_Sales::transactions_fetch', 'Fetch', 10),
        ]),
      ]),
    ]),
    node('Magento_Catalog::catalog', 'Catalog', 30, [
      node('Magento_Catalog::catalog_inventory', 'Inventory', 10, [
        node('Magento_Catalog::products', 'Products', 10),
        node('Magento_Catalog::categories', 'Categories', 20),
      ]),
    ]),
    node('Magento_Customer::customer', 'Customers', 40, [
      node('Magento_Customer::manage', 'All Customers', 10, [
        node('Magento_Customer::actions', 'Actions', 10, [
          node('Magento_Customer::delete', 'Delete', 10),
          node('Magento_Customer::reset_password', 'Reset password', 20),
          node('Magento_Customer::invalidate_tokens', 'Invalidate tokens', 30),
        ]),
      ]),
      node('Magento_Customer::online', 'Now Online', 20),
      node('Magento_Customer::group', 'Customer Groups', 30),
    ]),
    node('Magento_Cart::cart', 'Carts', 50, [node('Magento_Cart::manage', 'Manage carts', 10)]),
    node('Magento_Backend::myaccount', 'My Account', 60),
    node('Magento_Backend::marketing', 'Marketing', 70, [
      node('Magento_Backend::marketing_seo', 'SEO & Search', 10),
      node('Magento_Backend::marketing_user_content', 'User Content', 20),
    ]),
    node('Magento_Backend::content', 'Content', 80, [
      node('Magento_Backend::content_elements', 'Elements', 10, [
        node('Magento_Cms::page', 'Pages', 10, [
          node('Magento_Cms::save', 'Save Page', 10, [
            node('Magento_Cms::save_design', 'Edit Page Design', 10),
          ]),
          node('Magento_Cms::page_delete', 'Delete Page', 20),
        ]),
        node('Magento_Cms::block', 'Blocks', 20),
        node('Magento_Cms::media_gallery', 'Media Gallery', 30),
      ]),
      node('Magento_Backend::design', 'Design', 20, [
        node('Magento_Backend::schedule', 'Schedule', 10),
      ]),
      node('Magento_Backend::content_translation', 'Content translation', 30),
    ]),
    node('Magento_Backend::stores', 'Stores', 90, [
      node('Magento_Backend::stores_settings', 'Settings', 10, [
        node('Magento_Backend::store', 'All Stores', 10),
        node('Magento_Sales::order_statuses', 'Order Status', 20),
        node('Magento_Config::config', 'Configuration', 30, [
          node('Magento_Sales::config_sales', 'Sales Section', 10),
          node('Magento_Sales::sales_email', 'Sales Emails Section', 20),
          node('Magento_Sales::sales_pdf', 'PDF Print-outs', 30),
          node('Magento_Catalog::config_catalog', 'Catalog Section', 40),
          node('Magento_Customer::config_customer', 'Customers Section', 50),
          node('Magento_Cms::config_cms', 'Content Management', 60),
        ]),
      ]),
      node('Magento_Backend::stores_attributes', 'Attributes', 20, [
        node('Magento_Catalog::attributes_attributes', 'Product', 10),
        node('Magento_Catalog::update_attributes', 'Update Attributes', 20),
        node('Magento_Catalog::sets', 'Attribute Set', 30),
      ]),
      node('Magento_Backend::stores_other_settings', 'Other Settings', 30),
    ]),
    node('Magento_Backend::system', 'System', 100, [
      node('Magento_Backend::convert', 'Data Transfer', 10),
      node('Magento_Integration::extensions', 'System Extensions', 20, [
        node('Magento_Integration::integrations', 'System Integrations', 10),
      ]),
      node('Magento_Backend::tools', 'Tools', 30, [
        node('Magento_Backend::cache', 'Cache Management', 10, [
          node('Magento_Backend::main_actions', 'Flush Magento Cache', 10),
          node('Magento_Backend::mass_actions', 'Flush Cache Storage', 20),
          node('Magento_Backend::additional_cache_management', 'Additional Cache Management', 30, [
            node('Magento_Backend::flush_catalog_images', 'Flush Catalog Images Cache', 10),
            node('Magento_Backend::flush_js_css', 'Flush JavaScript/CSS Cache', 20),
            node('Magento_Backend::flush_static_files', 'Flush Static Files Cache', 30),
          ]),
        ]),
      ]),
      node('Magento_Backend::system_other_settings', 'Other Settings', 40),
    ]),
    node('Magento_Backend::global_search', 'Global Search', 110),
  ],
};
